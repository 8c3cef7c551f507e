// A plan end to end against PostgreSQL: generated data → import → constraint set → run → the
// stored rows obey every constraint and agree with each other; a failure mid-write leaves nothing.
import { createDb } from "../../../src/services/db-handles";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPrisma, type PrismaClient } from "../../../src/db/prisma";
import { writeDataset } from "../../../src/generate";
import { importDataset } from "../../../src/ingest";
import { saveConstraintSetByName } from "../../../src/services/constraint-sets";
import { exportPlan } from "../../../src/services/plan-export";
import { createPlan, executePlan } from "../../../src/services/plans";
import { createTestDatabase, type TestDatabase } from "../../support/db";

let db: TestDatabase;
let prisma: PrismaClient;
let dir: string;
let versionId: number;
const budget = 1200;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url);
  dir = await mkdtemp(path.join(tmpdir(), "offerplan-plan-"));
  await writeDataset({ customers: 3000, seed: 11, profile: "default", outDir: dir });
  await importDataset(db.pool, dir);
  const def = JSON.parse(await readFile(path.join(dir, "constraints.json"), "utf8"));
  versionId = (await saveConstraintSetByName(createDb(db.pool, prisma), { ...def, budget }))
    .versionId;
});
afterAll(async () => {
  await prisma.$disconnect();
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

const q = async <T>(sql: string, params: unknown[] = []) =>
  (await db.pool.query(sql, params)).rows as T[];

describe("plan run", () => {
  let planId: number;

  it("stores a SUCCEEDED plan whose rows satisfy every constraint", async () => {
    const created = await createPlan(createDb(db.pool, prisma), versionId, {
      method: "CLUSTER_LP",
      clusters: 20,
      seed: 1,
    });
    expect(created.versionNumber).toBe(1);
    planId = created.id;
    const run = await executePlan(db.pool, prisma, planId);
    const [plan] = await q<{ status: string; kpis: Record<string, number> }>(
      "SELECT status, kpis FROM plan WHERE id = $1",
      [planId],
    );
    expect(plan!.status).toBe("SUCCEEDED");

    const [tot] = await q<{ n: string; r: number; c: number; customers: string }>(
      `SELECT count(*) AS n, sum(expected_return) AS r, sum(cost) AS c, count(DISTINCT customer_id) AS customers
       FROM plan_assignment WHERE plan_id = $1`,
      [planId],
    );
    expect(Number(tot!.n)).toBe(plan!.kpis.contacts);
    expect(Number(tot!.customers)).toBe(plan!.kpis.contacts); // one offer per customer
    expect(tot!.r).toBeCloseTo(plan!.kpis.expectedReturn, 6);
    expect(tot!.c).toBeLessThanOrEqual(budget + 1e-9);
    expect(tot!.r).toBeGreaterThanOrEqual(1.2 * tot!.c); // hurdle 20 %

    // channel capacities and offer minimums from the CSVs
    const overCapacity = await q(
      `SELECT ch.external_id FROM plan_assignment a JOIN channel ch ON ch.id = a.channel_id
       WHERE a.plan_id = $1 GROUP BY ch.external_id, ch.capacity
       HAVING ch.capacity IS NOT NULL AND count(*) > ch.capacity`,
      [planId],
    );
    expect(overCapacity).toEqual([]);
    const underMin = await q(
      `SELECT o.external_id FROM offer o
       LEFT JOIN plan_assignment a ON a.offer_id = o.id AND a.plan_id = $1
       GROUP BY o.id HAVING count(a.customer_id) < o.min_volume`,
      [planId],
    );
    expect(underMin).toEqual([]);

    // every assignment is an eligible option with the same return and cost
    const ineligible = await q(
      `SELECT a.customer_id FROM plan_assignment a
       LEFT JOIN eligible_option e USING (customer_id, offer_id, channel_id)
       WHERE a.plan_id = $1 AND (e.customer_id IS NULL OR e.expected_return <> a.expected_return OR e.cost <> a.cost)`,
      [planId],
    );
    expect(ineligible).toEqual([]);

    // the summary written with the plan equals the aggregate of its assignments
    const mismatch = await q(
      `WITH agg AS (
         SELECT coalesce(c.segment, '') AS segment, a.offer_id, a.channel_id, count(*)::int AS contacts,
                sum(a.expected_return) AS r
         FROM plan_assignment a JOIN customer c ON c.id = a.customer_id WHERE a.plan_id = $1
         GROUP BY 1, 2, 3)
       SELECT * FROM agg FULL JOIN (SELECT * FROM plan_summary WHERE plan_id = $1) s
         USING (segment, offer_id, channel_id)
       WHERE agg.contacts IS DISTINCT FROM s.contacts OR abs(agg.r - s.expected_return) > 1e-6`,
      [planId],
    );
    expect(mismatch).toEqual([]);

    const report = await q<{
      name: string;
      binding: boolean;
      dual: number | null;
      activity: number;
    }>("SELECT name, binding, dual, activity FROM plan_constraint_report WHERE plan_id = $1", [
      planId,
    ]);
    const budgetRow = report.find((r) => r.name === "budget")!;
    expect(budgetRow.activity).toBeCloseTo(tot!.c, 6);
    expect(report.map((r) => r.name)).toEqual(
      expect.arrayContaining(["budget", "hurdle", "offers_per_customer"]),
    );

    const clusters = await q<{ n: string; size: string }>(
      "SELECT count(*) AS n, sum(size) AS size FROM plan_cluster WHERE plan_id = $1",
      [planId],
    );
    const members = await q<{ n: string }>(
      "SELECT count(*) AS n FROM plan_cluster_member WHERE plan_id = $1",
      [planId],
    );
    expect(Number(clusters[0]!.size)).toBe(Number(members[0]!.n));
    expect(run.result.kpis.contacts).toBe(plan!.kpis.contacts);
  });

  it("a what-if warm-started from a plan shares its membership when the clusters are unchanged", async () => {
    const first = await createPlan(createDb(db.pool, prisma), versionId, {
      method: "CLUSTER_LP",
      clusters: 20,
    });
    const a = await executePlan(db.pool, prisma, first.id);
    const whatIf = await createPlan(createDb(db.pool, prisma), versionId, {
      method: "CLUSTER_LP",
      clusters: 20,
      overrides: { budget: budget * 1.2 },
      warmStartFrom: first.id,
    });
    await executePlan(db.pool, prisma, whatIf.id, { loaded: a.loaded });
    const [row] = await q<{ membership_plan_id: number | null }>(
      "SELECT membership_plan_id FROM plan WHERE id = $1",
      [whatIf.id],
    );
    expect(row!.membership_plan_id).toBe(first.id);
    // no partition of its own; plan_membership gives the source's rows under the what-if's id
    const parts = await q<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_class WHERE relname = $1",
      [`plan_cluster_member_p${whatIf.id}`],
    );
    expect(parts[0]!.n).toBe(0);
    const shared = await q<{ customer_id: number; cluster_index: number }>(
      "SELECT customer_id, cluster_index FROM plan_membership WHERE plan_id = $1 ORDER BY 1",
      [whatIf.id],
    );
    const own = await q<{ customer_id: number; cluster_index: number }>(
      "SELECT customer_id, cluster_index FROM plan_cluster_member WHERE plan_id = $1 ORDER BY 1",
      [first.id],
    );
    expect(shared.length).toBeGreaterThan(0);
    expect(shared).toEqual(own);
    // a what-if of a what-if points at the plan that holds the rows
    const third = await createPlan(createDb(db.pool, prisma), versionId, {
      method: "CLUSTER_LP",
      clusters: 20,
      warmStartFrom: whatIf.id,
    });
    await executePlan(db.pool, prisma, third.id, { loaded: a.loaded });
    const [t] = await q<{ membership_plan_id: number | null }>(
      "SELECT membership_plan_id FROM plan WHERE id = $1",
      [third.id],
    );
    expect(t!.membership_plan_id).toBe(first.id);
  });

  it("exports the contract's CSV", async () => {
    const file = path.join(dir, "export.csv");
    const n = await exportPlan(db.pool, planId, file);
    const lines = (await readFile(file, "utf8")).trimEnd().split("\n");
    expect(lines[0]).toBe("customer_id,offer_id,channel_id,expected_return,cost");
    expect(lines).toHaveLength(n + 1);
    expect(lines[1]).toMatch(/^C\d+,[a-z_]+,(mail|call_centre|branch),[\d.e-]+,[\d.]+$/);
  });

  it.each(["assignments", "membership", "report"])(
    "leaves no rows behind when the write fails after %s",
    async (step) => {
      const { id } = await createPlan(createDb(db.pool, prisma), versionId, {
        method: "CLUSTER_LP",
        clusters: 10,
        seed: 2,
      });
      const thrown = await executePlan(db.pool, prisma, id, {
        failpoint: (s) => {
          if (s === step) throw new Error(`injected failure after ${s}`);
        },
      }).catch((e: unknown) => e as Error & { reference?: string });
      // the caller gets the original (for its log); readers of the plan get a reference only
      expect(thrown).toBeInstanceOf(Error);
      expect((thrown as Error).message).toBe(`injected failure after ${step}`);
      const reference = (thrown as { reference?: string }).reference;
      expect(reference).toMatch(/^[0-9a-f-]{36}$/);
      const [plan] = await q<{ status: string; error: string }>(
        "SELECT status, error, phase, progress, failed_in_phase FROM plan WHERE id = $1",
        [id],
      );
      // the phase it stopped in is kept; no live progress is left showing
      expect(plan).toEqual({
        status: "FAILED",
        error: `internal error (reference ${reference})`,
        phase: null,
        progress: 0,
        failed_in_phase: "write",
      });
      for (const table of [
        "plan_assignment",
        "plan_cluster_member",
        "plan_cluster",
        "plan_proportion",
        "plan_constraint_report",
        "plan_summary",
      ]) {
        const rows = await q<{ n: string }>(
          `SELECT count(*) AS n FROM ${table} WHERE plan_id = $1`,
          [id],
        );
        expect({ table, n: rows[0]!.n }).toEqual({ table, n: "0" });
      }
      const parts = await q("SELECT relname FROM pg_class WHERE relname LIKE $1", [`%_p${id}`]);
      expect(parts).toEqual([]);
    },
  );
});
