// The BI contract: docs/bi.md and the database agree column by column; the views' numbers agree
// with the plan's own rows; the read-only role reads the views and nothing else.
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "pg";
import { adminQuery } from "../../src/db/admin";
import { createPrisma, type PrismaClient } from "../../src/db/prisma";
import { writeDataset } from "../../src/generate";
import { importDataset } from "../../src/ingest";
import { BI_FUNCTIONS, BI_VIEWS, grantBiRole } from "../../src/services/bi";
import { saveConstraintSetByName } from "../../src/services/constraint-sets";
import { createPlan, executePlan } from "../../src/services/plans";
import { createTestDatabase, type TestDatabase } from "../support/db";

let db: TestDatabase;
let prisma: PrismaClient;
let dir: string;
let planA: number;
let planB: number;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url);
  dir = await mkdtemp(path.join(tmpdir(), "offerplan-bi-"));
  await writeDataset({ customers: 2000, seed: 5, profile: "default", outDir: dir });
  await importDataset(db.pool, dir);
  const def = JSON.parse(await readFile(path.join(dir, "constraints.json"), "utf8"));
  const v1 = await saveConstraintSetByName(prisma, { ...def, budget: 900 });
  planA = (await createPlan(prisma, v1.versionId, { method: "CLUSTER_LP", clusters: 15 })).id;
  await executePlan(db.pool, prisma, planA);
  const v2 = await saveConstraintSetByName(prisma, { ...def, budget: 1500 });
  planB = (await createPlan(prisma, v2.versionId, { method: "EXACT" })).id;
  await executePlan(db.pool, prisma, planB);
});
afterAll(async () => {
  await prisma.$disconnect();
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

const q = async <T>(sql: string, params: unknown[] = []) =>
  (await db.pool.query(sql, params)).rows as T[];

/** `### name` sections of docs/bi.md → their (column, type) table rows. */
function documented(): Map<string, [string, string][]> {
  const md = readFileSync(path.join(__dirname, "..", "..", "docs", "bi.md"), "utf8");
  const out = new Map<string, [string, string][]>();
  for (const section of md.split(/^### /m).slice(1)) {
    const name = section.split(/[\s(]/)[0]!;
    const rows = section
      .split("\n")
      .filter((l) => l.startsWith("| ") && !/^\| column\b/.test(l) && !/^\| -/.test(l))
      .map((l) => l.split("|").map((c) => c.trim()))
      .map((c) => [c[1]!, c[2]!] as [string, string]);
    out.set(name, rows);
  }
  return out;
}

const TYPE_NAMES: Record<string, string> = {
  integer: "integer",
  text: "text",
  "double precision": "float8",
  boolean: "boolean",
  "timestamp with time zone": "timestamptz",
};

describe("BI views", () => {
  it("match docs/bi.md column by column, and nothing is undocumented", async () => {
    const docs = documented();
    const objects = [...BI_VIEWS, ...BI_FUNCTIONS.map((f) => f.split("(")[0]!)];
    expect([...docs.keys()].sort()).toEqual([...objects].sort());
    const views = await q<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name LIKE 'bi\\_%' ORDER BY table_name, ordinal_position`,
    );
    const viewNames = new Set(views.map((v) => v.table_name));
    expect([...viewNames].sort()).toEqual([...BI_VIEWS].sort());
    for (const view of BI_VIEWS) {
      const actual = views
        .filter((v) => v.table_name === view)
        .map((v) => [v.column_name, TYPE_NAMES[v.data_type] ?? v.data_type]);
      expect({ view, columns: actual }).toEqual({ view, columns: docs.get(view) });
    }
    const [fn] = await q<{ cols: string[]; types: string[] }>(
      `SELECT array_agg(n ORDER BY i) AS cols, array_agg(format_type(t, NULL) ORDER BY i) AS types
       FROM pg_proc p, unnest(p.proargnames, p.proallargtypes, p.proargmodes)
            WITH ORDINALITY AS a(n, t, m, i)
       WHERE p.proname = 'bi_plan_comparison' AND a.m = 't'`,
    );
    expect(fn!.cols.map((c, i) => [c, TYPE_NAMES[fn!.types[i]!] ?? fn!.types[i]])).toEqual(
      docs.get("bi_plan_comparison"),
    );
  });

  it("agree with the plan's assignments and KPIs", async () => {
    const [plan] = await q<{ kpis: { expectedReturn: number; cost: number; contacts: number } }>(
      "SELECT kpis FROM plan WHERE id = $1",
      [planA],
    );
    const [bp] = await q<{
      expected_return: number;
      cost: number;
      contacts: number;
      status: string;
    }>("SELECT expected_return, cost, contacts, status FROM bi_plans WHERE plan_id = $1", [planA]);
    expect(bp!.status).toBe("SUCCEEDED");
    expect(bp!.contacts).toBe(plan!.kpis.contacts);
    expect(bp!.expected_return).toBeCloseTo(plan!.kpis.expectedReturn, 6);

    // frequencies = a GROUP BY over the assignments, done independently here
    const freq = await q<{
      offer_id: string;
      channel_id: string;
      contacts: number;
      expected_return: number;
      share: number;
    }>(
      `SELECT offer_id, channel_id, contacts, expected_return, share FROM bi_offer_channel_frequency
       WHERE plan_id = $1 ORDER BY 1, 2`,
      [planA],
    );
    const fromRows = await q<{ offer_id: string; channel_id: string; n: number; r: number }>(
      `SELECT o.external_id AS offer_id, ch.external_id AS channel_id, count(*)::int AS n,
              sum(a.expected_return) AS r
       FROM plan_assignment a JOIN offer o ON o.id = a.offer_id JOIN channel ch ON ch.id = a.channel_id
       WHERE a.plan_id = $1 AND a."group" = 'treatment' GROUP BY 1, 2 ORDER BY 1, 2`,
      [planA],
    );
    expect(freq.map((f) => [f.offer_id, f.channel_id, f.contacts])).toEqual(
      fromRows.map((f) => [f.offer_id, f.channel_id, f.n]),
    );
    freq.forEach((f, i) => expect(f.expected_return).toBeCloseTo(fromRows[i]!.r, 6));
    expect(freq.reduce((s, f) => s + f.share, 0)).toBeCloseTo(1, 9);

    const assignments = await q<{ n: number }>(
      "SELECT count(*)::int AS n FROM bi_assignments WHERE plan_id = $1",
      [planA],
    );
    expect(assignments[0]!.n).toBe(plan!.kpis.contacts);

    const channels = await q<{
      channel_id: string;
      contacts: number;
      profit: number;
      expected_return: number;
      cost: number;
    }>(
      "SELECT channel_id, contacts, profit, expected_return, cost FROM bi_channel_profitability WHERE plan_id = $1",
      [planA],
    );
    expect(channels).toHaveLength(3);
    expect(channels.reduce((s, c) => s + c.contacts, 0)).toBe(plan!.kpis.contacts);
    for (const c of channels) expect(c.profit).toBeCloseTo(c.expected_return - c.cost, 9);

    const segments = await q<{ contacts: number }>(
      "SELECT contacts FROM bi_segment_summary WHERE plan_id = $1",
      [planA],
    );
    expect(segments.reduce((s, r) => s + r.contacts, 0)).toBe(plan!.kpis.contacts);

    const report = await q<{ name: string; dual: number | null; binding: boolean }>(
      "SELECT name, dual, binding FROM bi_constraint_report WHERE plan_id = $1 AND name = 'budget'",
      [planA],
    );
    expect(report[0]!.binding).toBe(true);
    expect(report[0]!.dual).toBeGreaterThan(0);

    const clusters = await q<{ size: number }>(
      "SELECT size FROM bi_cluster_summary WHERE plan_id = $1",
      [planA],
    );
    expect(clusters.length).toBeGreaterThan(0);
    const [members] = await q<{ n: number }>(
      "SELECT count(*)::int AS n FROM plan_cluster_member WHERE plan_id = $1 AND cluster_index >= 0",
      [planA],
    );
    expect(clusters.reduce((s, c) => s + c.size, 0)).toBe(members!.n);
  });

  it("compares two plans offer by channel", async () => {
    const rows = await q<{
      offer_id: string;
      channel_id: string;
      contacts_a: number;
      contacts_b: number;
      contacts_delta: number;
      expected_return_delta: number;
    }>("SELECT * FROM bi_plan_comparison($1, $2)", [planA, planB]);
    const count = async (plan: number) =>
      new Map(
        (
          await q<{ k: string; n: number }>(
            `SELECT offer_id || '/' || channel_id AS k, count(*)::int AS n FROM bi_assignments
             WHERE plan_id = $1 GROUP BY 1`,
            [plan],
          )
        ).map((r) => [r.k, r.n]),
      );
    const [a, b] = [await count(planA), await count(planB)];
    const keys = new Set([...a.keys(), ...b.keys()]);
    expect(rows).toHaveLength(keys.size);
    for (const r of rows) {
      const k = `${r.offer_id}/${r.channel_id}`;
      expect([r.contacts_a, r.contacts_b]).toEqual([a.get(k) ?? 0, b.get(k) ?? 0]);
      expect(r.contacts_delta).toBe(r.contacts_b - r.contacts_a);
    }
    const total = rows.reduce((s, r) => s + r.expected_return_delta, 0);
    const [kp] = await q<{ d: number }>(
      `SELECT (SELECT expected_return FROM bi_plans WHERE plan_id = $2) -
              (SELECT expected_return FROM bi_plans WHERE plan_id = $1) AS d`,
      [planA, planB],
    );
    expect(total).toBeCloseTo(kp!.d, 6);
    expect(kp!.d).toBeGreaterThan(0); // more budget earns more
  });

  it("gives the BI role the views and nothing else", async () => {
    const role = `offerplan_bi_${randomBytes(4).toString("hex")}`;
    await grantBiRole(db.pool, role, "a-long-password");
    await grantBiRole(db.pool, role, "another-password"); // idempotent: updates the password
    const url = new URL(db.url);
    url.username = role;
    url.password = "another-password";
    const bi = new Client({ connectionString: url.toString() });
    await bi.connect();
    try {
      for (const view of BI_VIEWS) await bi.query(`SELECT * FROM ${view} LIMIT 1`);
      const cmp = await bi.query("SELECT * FROM bi_plan_comparison($1, $2)", [planA, planB]);
      expect(cmp.rowCount).toBeGreaterThan(0);
      for (const table of ["plan", "customer", "score", "plan_assignment", "api_key"])
        await expect(bi.query(`SELECT 1 FROM ${table} LIMIT 1`)).rejects.toThrow(
          /permission denied/,
        );
      await expect(bi.query("DELETE FROM bi_constraint_report")).rejects.toThrow(
        /permission denied/,
      );
      await expect(
        bi.query("UPDATE plan SET status = 'FAILED' WHERE id = $1", [planA]),
      ).rejects.toThrow(/permission denied/);
      await expect(bi.query("CREATE TABLE t (x int)")).rejects.toThrow(/permission denied/);
    } finally {
      await bi.end();
      const server = process.env.OFFERPLAN_TEST_SERVER!;
      await adminQuery(db.url, `DROP OWNED BY ${role}`);
      await adminQuery(server, `DROP ROLE ${role}`).catch(async () => {
        // the role keeps CONNECT on this test database until it is dropped in afterAll
        await adminQuery(db.url, `REVOKE ALL ON DATABASE ${url.pathname.slice(1)} FROM ${role}`);
        await adminQuery(server, `DROP ROLE ${role}`);
      });
    }
  });
});
