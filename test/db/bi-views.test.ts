// The BI contract: docs/bi.md, the database's comments and the `bi` schema agree column by column;
// the views' numbers agree with the plan's own rows and the dimensions with the dataset; the
// read-only role sees and reads the `bi` schema and nothing else.
import { createDb } from "../../src/services/db-handles";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "pg";
import { adminQuery } from "../../src/db/admin";
import { createPrisma, type PrismaClient } from "../../src/db/prisma";
import { writeDataset } from "../../src/generate";
import { importDataset } from "../../src/ingest";
import { BI_FUNCTIONS, BI_VIEWS, grantBiRole } from "../../src/services/bi";
import { cancelPlan } from "../../src/services/plans";
import { saveConstraintSetByName } from "../../src/services/constraint-sets";
import { createPlan, executePlan } from "../../src/services/plans";
import { createTestDatabase, type TestDatabase } from "../support/db";

let db: TestDatabase;
let prisma: PrismaClient;
let dir: string;
let planA: number;
let planB: number;
let queued: number;
let cancelled: number;
let calendarVersion: number;
let whatIf: number;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url);
  dir = await mkdtemp(path.join(tmpdir(), "offerplan-bi-"));
  await writeDataset({ customers: 2000, seed: 5, profile: "default", outDir: dir });
  await importDataset(db.pool, dir);
  const def = JSON.parse(await readFile(path.join(dir, "constraints.json"), "utf8"));
  const v1 = await saveConstraintSetByName(createDb(db.pool, prisma), { ...def, budget: 900 });
  planA = (
    await createPlan(createDb(db.pool, prisma), v1.versionId, {
      method: "CLUSTER_LP",
      clusters: 15,
    })
  ).id;
  await executePlan(db.pool, prisma, planA);
  const v2 = await saveConstraintSetByName(createDb(db.pool, prisma), { ...def, budget: 1500 });
  planB = (await createPlan(createDb(db.pool, prisma), v2.versionId, { method: "EXACT" })).id;
  await executePlan(db.pool, prisma, planB);
  whatIf = (
    await createPlan(createDb(db.pool, prisma), v2.versionId, {
      method: "GREEDY",
      overrides: { budget: 1200 },
    })
  ).id;
  await executePlan(db.pool, prisma, whatIf);
  queued = (await createPlan(createDb(db.pool, prisma), v2.versionId, { method: "GREEDY" })).id;
  cancelled = (await createPlan(createDb(db.pool, prisma), v2.versionId, { method: "GREEDY" })).id;
  await cancelPlan(createDb(db.pool, prisma), cancelled);
  calendarVersion = (
    await saveConstraintSetByName(createDb(db.pool, prisma), {
      ...def,
      name: "calendar",
      waves: [
        { name: "dec", offsetDays: 0, budget: 500 },
        { name: "jan", offsetDays: 31, channelCapacities: [{ channelId: "branch", capacity: 10 }] },
      ],
    })
  ).versionId;
});
afterAll(async () => {
  await prisma.$disconnect();
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

const q = async <T>(sql: string, params: unknown[] = []) =>
  (await db.pool.query(sql, params)).rows as T[];

/** Rows with numeric and bigint columns (text in node-pg: the exact decimal) as numbers. */
const numbers = async <T>(sql: string, params: unknown[] = []) =>
  (await q<Record<string, unknown>>(sql, params)).map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [
        k,
        typeof v === "string" && /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(v) ? Number(v) : v,
      ]),
    ),
  ) as T[];

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
  bigint: "bigint",
  numeric: "numeric",
  text: "text",
  "text[]": "text[]",
  jsonb: "jsonb",
  date: "date",
  "double precision": "float8",
  boolean: "boolean",
  "timestamp with time zone": "timestamptz",
};

describe("BI views", () => {
  it("match docs/bi.md column by column, and nothing is undocumented", async () => {
    const docs = documented();
    const functions = BI_FUNCTIONS.map((f) => f.split("(")[0]!);
    expect([...docs.keys()].sort()).toEqual([...BI_VIEWS, ...functions].sort());
    const views = await q<{ table_name: string; column_name: string; type: string }>(
      `SELECT table_name, column_name, format_type(a.atttypid, NULL) AS type
       FROM information_schema.columns c
       JOIN pg_attribute a ON a.attrelid = ('bi.' || quote_ident(c.table_name))::regclass
                          AND a.attname = c.column_name
       WHERE table_schema = 'bi' ORDER BY table_name, ordinal_position`,
    );
    expect([...new Set(views.map((v) => v.table_name))].sort()).toEqual([...BI_VIEWS].sort());
    for (const view of BI_VIEWS) {
      const actual = views
        .filter((v) => v.table_name === view)
        .map((v) => [v.column_name, TYPE_NAMES[v.type] ?? v.type]);
      expect({ view, columns: actual }).toEqual({ view, columns: docs.get(view) });
    }
    const fns = await q<{ name: string; cols: string[]; types: string[] }>(
      `SELECT p.proname AS name, array_agg(n ORDER BY i) AS cols,
              array_agg(format_type(t, NULL) ORDER BY i) AS types
       FROM pg_proc p, unnest(p.proargnames, p.proallargtypes, p.proargmodes)
            WITH ORDINALITY AS a(n, t, m, i)
       WHERE p.pronamespace = 'bi'::regnamespace AND a.m IN ('t', 'o')
       GROUP BY p.proname`,
    );
    expect(fns.map((f) => f.name).sort()).toEqual([...functions].sort());
    for (const f of fns)
      expect(f.cols.map((c, i) => [c, TYPE_NAMES[f.types[i]!] ?? f.types[i]])).toEqual(
        docs.get(f.name),
      );
  });

  it("carry docs/bi.md's descriptions as comments on every view, column and function", async () => {
    const expected = JSON.parse(
      execFileSync(
        process.execPath,
        [path.join(__dirname, "../../scripts/bi-comments.mjs"), "--json"],
        {
          encoding: "utf8",
        },
      ),
    ) as Record<string, string>;
    const rows = await q<{ object: string; comment: string | null }>(
      `SELECT c.relname AS object, obj_description(c.oid, 'pg_class') AS comment
       FROM pg_class c WHERE c.relnamespace = 'bi'::regnamespace
       UNION ALL
       SELECT c.relname || '.' || a.attname, col_description(c.oid, a.attnum)
       FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
       WHERE c.relnamespace = 'bi'::regnamespace
       UNION ALL
       SELECT p.proname || '(' || oidvectortypes(p.proargtypes) || ')',
              obj_description(p.oid, 'pg_proc')
       FROM pg_proc p WHERE p.pronamespace = 'bi'::regnamespace`,
    );
    const actual = Object.fromEntries(rows.map((r) => [r.object, r.comment]));
    expect(actual).toEqual(expected);
    expect(Object.values(actual).every((c) => typeof c === "string" && c.length > 3)).toBe(true);
  });

  it("agree with the plan's assignments and KPIs", async () => {
    const [plan] = await q<{ kpis: { expectedReturn: number; cost: number; contacts: number } }>(
      "SELECT kpis FROM plan WHERE id = $1",
      [planA],
    );
    const [bp] = await numbers<{
      expected_return: number;
      cost: number;
      contacts: number;
      status: string;
    }>("SELECT expected_return, cost, contacts, status FROM bi.plans WHERE plan_id = $1", [planA]);
    expect(bp!.status).toBe("SUCCEEDED");
    expect(bp!.contacts).toBe(plan!.kpis.contacts);
    expect(bp!.expected_return).toBeCloseTo(plan!.kpis.expectedReturn, 6);

    // frequencies = a GROUP BY over the assignments, done independently here
    const freq = await numbers<{
      offer_id: string;
      channel_id: string;
      contacts: number;
      expected_return: number;
      share: number;
    }>(
      `SELECT offer_id, channel_id, contacts, expected_return, share FROM bi.offer_channel_frequency
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
      "SELECT count(*)::int AS n FROM bi.assignments WHERE plan_id = $1",
      [planA],
    );
    expect(assignments[0]!.n).toBe(plan!.kpis.contacts);

    const channels = await numbers<{
      channel_id: string;
      contacts: number;
      profit: number;
      expected_return: number;
      cost: number;
    }>(
      "SELECT channel_id, contacts, profit, expected_return, cost FROM bi.channel_profitability WHERE plan_id = $1",
      [planA],
    );
    expect(channels).toHaveLength(3);
    expect(channels.reduce((s, c) => s + c.contacts, 0)).toBe(plan!.kpis.contacts);
    for (const c of channels) expect(c.profit).toBeCloseTo(c.expected_return - c.cost, 9);

    const segments = await numbers<{ contacts: number }>(
      "SELECT contacts FROM bi.segment_summary WHERE plan_id = $1",
      [planA],
    );
    expect(segments.reduce((s, r) => s + r.contacts, 0)).toBe(plan!.kpis.contacts);

    const report = await numbers<{ name: string; dual: number | null; binding: boolean }>(
      "SELECT name, dual, binding FROM bi.constraint_report WHERE plan_id = $1 AND name = 'budget'",
      [planA],
    );
    expect(report[0]!.binding).toBe(true);
    expect(report[0]!.dual).toBeGreaterThan(0);

    const clusters = await numbers<{ size: number }>(
      "SELECT size FROM bi.cluster_summary WHERE plan_id = $1",
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
    const rows = await numbers<{
      offer_id: string;
      channel_id: string;
      contacts_a: number;
      contacts_b: number;
      contacts_delta: number;
      expected_return_delta: number;
    }>("SELECT * FROM bi.plan_comparison($1, $2)", [planA, planB]);
    const count = async (plan: number) =>
      new Map(
        (
          await q<{ k: string; n: number }>(
            `SELECT offer_id || '/' || channel_id AS k, count(*)::int AS n FROM bi.assignments
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
    const [kp] = await numbers<{ d: number }>(
      `SELECT (SELECT expected_return FROM bi.plans WHERE plan_id = $2) -
              (SELECT expected_return FROM bi.plans WHERE plan_id = $1) AS d`,
      [planA, planB],
    );
    expect(total).toBeCloseTo(kp!.d, 6);
    expect(kp!.d).toBeGreaterThan(0); // more budget earns more
  });

  it("refuses to compare a plan that does not exist or did not succeed", async () => {
    await expect(q("SELECT * FROM bi.plan_comparison($1, 999999)", [planA])).rejects.toMatchObject({
      code: "P0002",
      message: "plan 999999 does not exist",
    });
    await expect(
      q("SELECT * FROM bi.plan_comparison($1, $2)", [cancelled, planA]),
    ).rejects.toMatchObject({
      code: "22023",
      message: `plan ${cancelled} is CANCELLED: only a SUCCEEDED plan has assignments to compare`,
    });
    await expect(
      q("SELECT * FROM bi.plan_comparison($1, $2)", [planA, queued]),
    ).rejects.toMatchObject({
      code: "22023",
      message: `plan ${queued} is QUEUED: only a SUCCEEDED plan has assignments to compare`,
    });
  });

  it("have dimensions that agree with the dataset and the constraint sets", async () => {
    const counts = await numbers<{
      offers: number;
      channels: number;
      customers: number;
      segments: number;
    }>(
      `SELECT (SELECT count(*) FROM bi.offers) AS offers, (SELECT count(*) FROM bi.channels) AS channels,
              (SELECT count(*) FROM bi.customers) AS customers,
              (SELECT sum(customers) FROM bi.segments) AS segments`,
    );
    const base = await numbers<{ offers: number; channels: number; customers: number }>(
      `SELECT (SELECT count(*) FROM offer) AS offers, (SELECT count(*) FROM channel) AS channels,
              (SELECT count(*) FROM customer) AS customers`,
    );
    expect(counts[0]).toEqual({ ...base[0], segments: 2000 });
    // every fact's offer and channel has a name and a category to group by
    const [orphans] = await numbers<{ n: number }>(
      `SELECT count(*) AS n FROM bi.offer_channel_frequency f
       LEFT JOIN bi.offers o USING (offer_id) LEFT JOIN bi.channels c USING (channel_id)
       WHERE o.name IS NULL OR o.category IS NULL OR c.name IS NULL`,
    );
    expect(orphans!.n).toBe(0);
    const [mix] = await numbers<{ used: boolean }>(
      `SELECT bool_and(f.channel_id = ANY (o.channel_ids)) AS used
       FROM bi.assignments f JOIN bi.offers o USING (offer_id) WHERE f.plan_id = $1`,
      [planA],
    );
    expect(mix!.used).toBe(true);

    const versions = await numbers<{
      constraint_set_version_id: number;
      budget: number;
      waves: number;
      latest: boolean;
    }>(
      `SELECT v.constraint_set_version_id, v.budget, v.waves, v.latest
       FROM bi.constraint_set_versions v JOIN bi.plans p USING (constraint_set_version_id)
       WHERE p.plan_id = ANY ($1) ORDER BY p.plan_id`,
      [[planA, planB]],
    );
    expect(versions.map((v) => [v.budget, v.waves, v.latest])).toEqual([
      [900, 0, false],
      [1500, 0, true],
    ]);
    const waves = await numbers(
      `SELECT wave_number, wave, offset_days, budget, channel_capacities FROM bi.waves
       WHERE constraint_set_version_id = $1 ORDER BY wave_number`,
      [calendarVersion],
    );
    expect(waves).toEqual([
      { wave_number: 1, wave: "dec", offset_days: 0, budget: 500, channel_capacities: [] },
      {
        wave_number: 2,
        wave: "jan",
        offset_days: 31,
        budget: null,
        channel_capacities: [{ channelId: "branch", capacity: 10 }],
      },
    ]);
    const [plan] = await numbers<Record<string, unknown>>(
      `SELECT method, clusters, seed, control_share, overrides, campaign_date::text AS day,
              started_at::date::text AS started FROM bi.plans WHERE plan_id = $1`,
      [planA],
    );
    expect(plan).toMatchObject({
      method: "CLUSTER_LP",
      clusters: 15,
      control_share: 0,
      overrides: null,
    });
    expect(plan!.day).toBe(plan!.started);
  });

  it("give the BI role the bi schema, unqualified, and nothing else", async () => {
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
      const cmp = await bi.query("SELECT * FROM plan_comparison($1, $2)", [planA, planB]);
      expect(cmp.rowCount).toBeGreaterThan(0);
      const money = await bi.query<{ r: string }>(
        "SELECT round(expected_return, 2)::text AS r FROM plans WHERE plan_id = $1",
        [planA],
      );
      expect(money.rows[0]!.r).toMatch(/^\d+\.\d\d$/);
      // its catalogue: \dt and \dv (visible relations), information_schema, functions
      const visible = await bi.query<{ schema: string }>(
        `SELECT DISTINCT n.nspname AS schema FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE pg_table_is_visible(c.oid) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
           AND n.nspname NOT IN ('pg_catalog', 'information_schema')`,
      );
      expect(visible.rows).toEqual([{ schema: "bi" }]);
      const listed = await bi.query<{ schema: string }>(
        `SELECT DISTINCT table_schema AS schema FROM information_schema.tables
         WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
         UNION SELECT DISTINCT routine_schema FROM information_schema.routines
         WHERE routine_schema NOT IN ('pg_catalog', 'information_schema')`,
      );
      expect(listed.rows).toEqual([{ schema: "bi" }]);
      for (const table of ["plan", "customer", "score", "plan_assignment", "api_key"])
        await expect(bi.query(`SELECT 1 FROM public.${table} LIMIT 1`)).rejects.toThrow(
          /permission denied/,
        );
      await expect(bi.query("DELETE FROM constraint_report")).rejects.toThrow(
        /permission denied|cannot delete/,
      );
      await expect(
        bi.query("UPDATE public.plan SET status = 'FAILED' WHERE id = $1", [planA]),
      ).rejects.toThrow(/permission denied/);
      await expect(bi.query("CREATE TABLE t (x int)")).rejects.toThrow(
        /permission denied|no schema/,
      );
    } finally {
      await bi.end();
      const server = process.env.OFFERPLAN_TEST_SERVER!;
      await adminQuery(db.url, `DROP OWNED BY ${role}`);
      await adminQuery(server, `DROP ROLE ${role}`).catch(async () => {
        // the role keeps CONNECT on this test database, and its search_path setting, until dropped
        await adminQuery(db.url, `REVOKE ALL ON DATABASE ${url.pathname.slice(1)} FROM ${role}`);
        await adminQuery(server, `DROP ROLE ${role}`);
      });
    }
  });
});

describe("the starter pack, docs/bi-queries.sql", () => {
  /** `-- N. title` → the statement under it. */
  const pack = readFileSync(path.join(__dirname, "..", "..", "docs", "bi-queries.sql"), "utf8")
    .split(/^-- \d+\. /m)
    .slice(1)
    .map((block) => {
      const [title, ...sql] = block.split("\n");
      return [title!, sql.join("\n").trim()] as const;
    });
  // no plan has responses imported, and no import happened after the plans
  const EMPTY = new Set([11, 12]);

  it("holds a dozen questions, each one statement", () => {
    expect(pack).toHaveLength(12);
    for (const [, sql] of pack) expect(sql.split(";").filter((x) => x.trim())).toHaveLength(1);
  });

  it("runs every question as the BI role, with answers where the data has them", async () => {
    const role = `offerplan_bi_${randomBytes(4).toString("hex")}`;
    await grantBiRole(db.pool, role, "a-long-password");
    const url = new URL(db.url);
    url.username = role;
    url.password = "a-long-password";
    const bi = new Client({ connectionString: url.toString() });
    await bi.connect();
    try {
      for (const [i, [title, sql]] of pack.entries()) {
        const { rows } = await bi.query(sql);
        expect({ title, answered: rows.length > 0 }).toEqual({
          title,
          answered: !EMPTY.has(i + 1),
        });
      }
      const [scenario] = (await bi.query(pack[5]![1])).rows as { what_if: number; base: number }[];
      expect(scenario).toMatchObject({ what_if: whatIf, base: planB });
    } finally {
      await bi.end();
      await adminQuery(db.url, `DROP OWNED BY ${role}`);
      await adminQuery(db.url, `REVOKE ALL ON DATABASE ${url.pathname.slice(1)} FROM ${role}`);
      await adminQuery(process.env.OFFERPLAN_TEST_SERVER!, `DROP ROLE ${role}`);
    }
  });
});
