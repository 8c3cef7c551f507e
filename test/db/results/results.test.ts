import { createDb } from "../../../src/services/db-handles";
// Campaign results against PostgreSQL: a plan with a holdout (exact per stratum, KPIs of the
// treatment only, the export marks the group), a simulated response file imported (idempotent;
// bad files rejected with nothing written), the measured results (service and bi.plan_results
// agree, and agree with counts made here), and recalibration feeding the next plan.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { ImportError } from "../../../src/ingest";
import { controlCount } from "../../../src/results";
import { ConflictError, InputError, NotFoundError } from "../../../src/services/errors";
import { exportPlan } from "../../../src/services/plan-export";
import { createPlan, executePlan } from "../../../src/services/plans";
import {
  importPlanResponses,
  planResults,
  recalibrateFromPlan,
  type Recalibration,
} from "../../../src/services/results";
import {
  assignments,
  resultsFixture,
  simulatedResponses,
  trueFactor,
  type ResultsFixture,
} from "./helpers";

const SHARE = 0.25;
let f: ResultsFixture;
let held: number;
let plain: number;
let responsesFile: string;

const q = async <T>(sql: string, params: unknown[] = []) =>
  (await f.db.pool.query(sql, params)).rows as T[];

beforeAll(async () => {
  f = await resultsFixture();
  const params = { method: "CLUSTER_LP" as const, clusters: 15, seed: 3 };
  held = (
    await createPlan(createDb(f.db.pool, f.prisma), f.versionId, { ...params, controlShare: SHARE })
  ).id;
  await executePlan(f.db.pool, f.prisma, held);
  plain = (await createPlan(createDb(f.db.pool, f.prisma), f.versionId, params)).id;
  await executePlan(f.db.pool, f.prisma, plain);
});
afterAll(() => f.close());

interface StoredKpis {
  contacts: number;
  expectedReturn: number;
  cost: number;
  customersContacted: number;
  contactsByChannel: Record<string, number>;
  controlShare: number;
  control: { contacts: number; customers: number; expectedReturn: number; cost: number };
}

describe("holdout", () => {
  it("holds out exactly controlCount(n, share) of each segment × offer the plan chose", async () => {
    const strata = await q<{ segment: string | null; offer_id: number; n: number; c: number }>(
      `SELECT cu.segment, a.offer_id, count(*)::int AS n,
              count(*) FILTER (WHERE a."group" = 'control')::int AS c
       FROM plan_assignment a JOIN customer cu ON cu.id = a.customer_id
       WHERE a.plan_id = $1 GROUP BY 1, 2`,
      [held],
    );
    expect(strata.length).toBeGreaterThan(10);
    for (const s of strata) expect({ ...s, c: s.c }).toEqual({ ...s, c: controlCount(s.n, SHARE) });
    expect(strata.reduce((t, s) => t + s.c, 0)).toBeGreaterThan(50);
  });

  it("chooses like a plan without holdout, and holds out the same customers for the same seed", async () => {
    const pairs = async (plan: number, group?: string) =>
      (
        await q<{ k: string }>(
          `SELECT customer_id || '/' || offer_id || '/' || channel_id AS k FROM plan_assignment
           WHERE plan_id = $1 AND ($2::text IS NULL OR "group" = $2) ORDER BY 1`,
          [plan, group ?? null],
        )
      ).map((r) => r.k);
    // the holdout is drawn after the optimisation: treatment ∪ control = what it chose
    expect(await pairs(held)).toEqual(await pairs(plain));
    const again = (
      await createPlan(createDb(f.db.pool, f.prisma), f.versionId, {
        method: "CLUSTER_LP",
        clusters: 15,
        seed: 3,
        controlShare: SHARE,
      })
    ).id;
    await executePlan(f.db.pool, f.prisma, again);
    expect(await pairs(again, "control")).toEqual(await pairs(held, "control"));
  });

  it("stores KPIs and summaries of the treatment only, with the control group's counts", async () => {
    const [plan] = await q<{ kpis: StoredKpis }>("SELECT kpis FROM plan WHERE id = $1", [held]);
    const k = plan!.kpis;
    const groups = await q<{ group: string; n: number; r: number; c: number; customers: number }>(
      `SELECT "group", count(*)::int AS n, sum(expected_return) AS r, sum(cost) AS c,
              count(DISTINCT customer_id)::int AS customers
       FROM plan_assignment WHERE plan_id = $1 GROUP BY 1`,
      [held],
    );
    const t = groups.find((g) => g.group === "treatment")!;
    const c = groups.find((g) => g.group === "control")!;
    expect(k.contacts).toBe(t.n);
    expect(k.customersContacted).toBe(t.customers);
    expect(k.expectedReturn).toBeCloseTo(t.r, 6);
    expect(k.cost).toBeCloseTo(t.c, 6);
    expect(Object.values(k.contactsByChannel).reduce((s, v) => s + v, 0)).toBe(t.n);
    expect(k.controlShare).toBe(SHARE);
    expect(k.control.contacts).toBe(c.n);
    expect(k.control.customers).toBe(c.customers);
    expect(k.control.expectedReturn).toBeCloseTo(c.r, 6);
    expect(k.control.cost).toBeCloseTo(c.c, 6);
    const [summary] = await q<{ n: number; r: number }>(
      "SELECT sum(contacts)::int AS n, sum(expected_return) AS r FROM plan_summary WHERE plan_id = $1",
      [held],
    );
    expect(summary!.n).toBe(t.n);
    expect(summary!.r).toBeCloseTo(t.r, 6);
    // a bigint: node-pg reads it as text
    const [bi] = await q<{ contacts: string }>("SELECT contacts FROM bi.plans WHERE plan_id = $1", [
      held,
    ]);
    expect(bi!.contacts).toBe(String(t.n));
    const [without] = await q<{ kpis: StoredKpis }>("SELECT kpis FROM plan WHERE id = $1", [plain]);
    expect(without!.kpis.contacts).toBe(t.n + c.n);
    expect(without!.kpis.control).toBeUndefined();
  });

  it("marks the group in the export of a plan with a holdout, and only there", async () => {
    const file = path.join(f.dir, "export-held.csv");
    const rows = await exportPlan(f.db.pool, held, file);
    const lines = (await readFile(file, "utf8")).trim().split("\n");
    expect(lines[0]).toBe("customer_id,offer_id,channel_id,expected_return,cost,group");
    expect(lines.length - 1).toBe(rows);
    const groups = lines.slice(1).map((l) => l.split(",").at(-1));
    const [k] = await q<{ kpis: StoredKpis }>("SELECT kpis FROM plan WHERE id = $1", [held]);
    expect(groups.filter((g) => g === "control").length).toBe(k!.kpis.control.contacts);
    expect(groups.filter((g) => g === "treatment").length).toBe(k!.kpis.contacts);
    const plainFile = path.join(f.dir, "export-plain.csv");
    await exportPlan(f.db.pool, plain, plainFile);
    expect((await readFile(plainFile, "utf8")).split("\n")[0]).toBe(
      "customer_id,offer_id,channel_id,expected_return,cost",
    );
  });

  it("rejects a share outside [0, 1) and an unknown calibration before creating a plan", async () => {
    const before = await f.prisma.plan.count();
    await expect(
      createPlan(createDb(f.db.pool, f.prisma), f.versionId, { method: "GREEDY", controlShare: 1 }),
    ).rejects.toThrow(InputError);
    await expect(
      createPlan(createDb(f.db.pool, f.prisma), f.versionId, {
        method: "GREEDY",
        calibrationId: 999,
      }),
    ).rejects.toThrow(NotFoundError);
    expect(await f.prisma.plan.count()).toBe(before);
  });
});

/** what plan_response and response_import hold, to show that a rejected import wrote nothing */
const snapshot = () =>
  q<{ rows: number; digest: string | null; imports: number }>(
    `SELECT (SELECT count(*)::int FROM plan_response) AS rows,
            (SELECT md5(string_agg(r::text, ',' ORDER BY plan_id, customer_id, offer_id))
             FROM plan_response r) AS digest,
            (SELECT count(*)::int FROM response_import) AS imports`,
  );

describe("response import", () => {
  it("imports a response file, and importing it again writes nothing", async () => {
    responsesFile = await simulatedResponses(f.db.pool, held, f.dir, 17);
    const n = (await assignments(f.db.pool, held)).length;
    const first = await importPlanResponses(f.db.pool, held, responsesFile, { importedBy: "test" });
    expect(first).toMatchObject({ planId: held, rowsRead: n, inserted: n, updated: 0 });
    const stored = await snapshot();
    const again = await importPlanResponses(f.db.pool, held, responsesFile);
    expect(again).toMatchObject({ rowsRead: n, inserted: 0, updated: 0, unchanged: n });
    const after = await snapshot();
    expect([after[0]!.rows, after[0]!.digest]).toEqual([stored[0]!.rows, stored[0]!.digest]);
    expect(after[0]!.imports).toBe(2);
    const [row] = await q<{ attributes: Record<string, string>; revenue: number }>(
      `SELECT attributes, revenue FROM plan_response WHERE plan_id = $1 AND responded LIMIT 1`,
      [held],
    );
    expect(row).toEqual({ attributes: { campaign: `Q3, wave ${held}` }, revenue: 120 });
    // a directory is read as its responses.csv
    const dir = path.join(f.dir, "drop");
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "responses.csv"), await readFile(responsesFile));
    expect(await importPlanResponses(f.db.pool, held, dir)).toMatchObject({ unchanged: n });
  });

  it("changes exactly the rows that changed", async () => {
    const lines = (await readFile(responsesFile, "utf8")).trim().split("\r\n");
    const i = lines.findIndex((l, j) => j > 0 && l.includes(",false,"));
    lines[i] = lines[i]!.replace(",false,", ",TRUE,").replace(/,,"Q3/, ',75.5,"Q3');
    const changed = path.join(f.dir, "changed.csv");
    await writeFile(changed, lines.slice(0, 1).concat(lines[i]!).join("\n"));
    expect(await importPlanResponses(f.db.pool, held, changed)).toMatchObject({
      rowsRead: 1,
      inserted: 0,
      updated: 1,
    });
    // and back, so that the results below are those of the simulated file
    expect(await importPlanResponses(f.db.pool, held, responsesFile)).toMatchObject({ updated: 1 });
  });

  it("rejects a bad file with every problem's line and column, and writes nothing", async () => {
    const all = await assignments(f.db.pool, held);
    const [a, b, c, d, e, g, h] = all;
    const other = (ch: string) => ["mail", "call_centre", "branch"].find((x) => x !== ch)!;
    const [outside] = await q<{ id: string; offer: string }>(
      `SELECT cu.external_id AS id, $2::text AS offer FROM customer cu
       WHERE NOT EXISTS (SELECT 1 FROM plan_assignment a WHERE a.plan_id = $1 AND a.customer_id = cu.id)
       ORDER BY cu.id LIMIT 1`,
      [held, a!.offer],
    );
    const rows = [
      "customer_id,offer_id,channel_id,responded,revenue,note",
      `${a!.customer},${a!.offer},,true,10,ok`, // 2
      `nobody,${a!.offer},,true,5,`, // 3
      `${b!.customer},no_such_offer,,true,5,`, // 4
      `${b!.customer},${b!.offer},pigeon,true,5,`, // 5
      `${outside!.id},${outside!.offer},,false,,`, // 6
      `${c!.customer},${c!.offer},${other(c!.channel)},true,1,`, // 7
      `${d!.customer},${d!.offer},,maybe,1,`, // 8
      `${e!.customer},${e!.offer},,true,-3,`, // 9
      `${g!.customer},${g!.offer},,true,1,x,y`, // 10
      `${a!.customer},${a!.offer},${a!.channel},false,0,again`, // 11
      `${h!.customer},${h!.offer},,,1,`, // 12
      `${h!.customer}x,${h!.offer},,true,1e999,`, // 13
    ];
    const file = path.join(f.dir, "bad.csv");
    await writeFile(file, rows.join("\n") + "\n");
    const before = await snapshot();
    const err = await importPlanResponses(f.db.pool, held, file).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(ImportError);
    const problems = (err as ImportError).problems.map((p) => [p.line, p.column, p.message]);
    expect(problems).toEqual([
      [8, "responded", 'must be true or false, got "maybe"'],
      [9, "revenue", "must be >= 0, got -3"],
      [10, null, "expected 6 fields as in the header, found 7"],
      [12, "responded", "required value missing"],
      [13, "revenue", 'out of the range of a double precision number: "1e999"'],
      [3, "customer_id", 'unknown customer "nobody"'],
      [13, "customer_id", `unknown customer "${h!.customer}x"`],
      [4, "offer_id", 'unknown offer "no_such_offer"'],
      [5, "channel_id", 'unknown channel "pigeon"'],
      [
        6,
        "offer_id",
        `plan ${held} did not assign offer "${a!.offer}" to customer "${outside!.id}"`,
      ],
      [
        7,
        "channel_id",
        `plan ${held} assigned offer "${c!.offer}" to customer "${c!.customer}" through channel "${c!.channel}", not "${other(c!.channel)}"`,
      ],
      [
        11,
        null,
        `duplicate response for customer "${a!.customer}" and offer "${a!.offer}" (first on line 2)`,
      ],
    ]);
    expect((err as ImportError).problems.every((p) => p.file === "bad.csv")).toBe(true);
    expect((err as ImportError).total).toBe(12);
    expect(await snapshot()).toEqual(before);
  });

  it("rejects unusable files and plans without writing", async () => {
    const before = await snapshot();
    const write = async (name: string, text: string) => {
      const file = path.join(f.dir, name);
      await writeFile(file, text);
      return file;
    };
    const problemsOf = async (plan: number, file: string) => {
      const e = await importPlanResponses(f.db.pool, plan, file).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ImportError);
      return (e as ImportError).problems.map((p) => [p.line, p.column, p.message]);
    };
    expect(
      await problemsOf(held, await write("nocol.csv", "customer_id,offer_id,revenue\nc,o,1\n")),
    ).toEqual([[1, "responded", "required column missing"]]);
    expect(await problemsOf(held, await write("empty.csv", ""))).toEqual([
      [1, null, "the file is empty: a header row is required"],
    ]);
    expect(
      await problemsOf(
        held,
        await write("quote.csv", 'customer_id,offer_id,responded\n"a,o,true\n'),
      ),
    ).toEqual([
      [2, null, "invalid quoting: a quoted field is not closed before the end of the file"],
    ]);
    expect(await problemsOf(held, path.join(f.dir, "missing.csv"))).toEqual([
      [0, null, "no such file"],
    ]);
    await expect(importPlanResponses(f.db.pool, 9999, responsesFile)).rejects.toThrow(
      NotFoundError,
    );
    const queued = (
      await createPlan(createDb(f.db.pool, f.prisma), f.versionId, { method: "GREEDY" })
    ).id;
    await expect(importPlanResponses(f.db.pool, queued, responsesFile)).rejects.toThrow(
      ConflictError,
    );
    expect(await snapshot()).toEqual(before);
  });
});

type ViewRow = Record<string, number | string | null>;

describe("measured results", () => {
  it("agree with counts made here from the assignments and responses", async () => {
    const r = (await planResults(f.db.pool, held))!;
    expect(r.imports).toBe(5);
    const [t] = await q<{ g: string; n: number; x: number; rev: number; p: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE r.responded)::int AS x,
              COALESCE(sum(r.revenue), 0) AS rev, avg(eo.probability) AS p
       FROM plan_assignment a
       LEFT JOIN plan_response r
         ON r.plan_id = a.plan_id AND r.customer_id = a.customer_id AND r.offer_id = a.offer_id
       LEFT JOIN eligible_option eo
         ON eo.customer_id = a.customer_id AND eo.offer_id = a.offer_id AND eo.channel_id = a.channel_id
       WHERE a.plan_id = $1 AND a."group" = 'treatment'`,
      [held],
    );
    const [c] = await q<{ n: number; x: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE r.responded)::int AS x
       FROM plan_assignment a LEFT JOIN plan_response r USING (plan_id, customer_id, offer_id)
       WHERE a.plan_id = $1 AND a."group" = 'control'`,
      [held],
    );
    expect(r.total.treatment).toMatchObject({ customers: t!.n, responders: t!.x });
    expect(r.total.treatment.revenue).toBeCloseTo(t!.rev, 6);
    expect(r.total.control).toMatchObject({ customers: c!.n, responders: c!.x });
    expect(r.total.predictedResponseRate).toBeCloseTo(t!.p, 12);
    expect(r.total.uplift).toBeCloseTo(t!.x / t!.n - c!.x / c!.n, 12);
    expect(r.total.upliftCiLow!).toBeLessThan(r.total.uplift!);
    expect(r.total.upliftCiHigh!).toBeGreaterThan(r.total.uplift!);
    // contacted customers respond more than held-out ones in this simulation
    expect(r.total.uplift!).toBeGreaterThan(0);
    // the offer whose responses were drawn at 1.6 × its score (and has the most responders)
    const funds = r.byOffer.find((x) => x.offer === "inv_mutual_funds")!;
    expect(funds.actualToPredicted!).toBeGreaterThan(1.1);
    expect(await planResults(f.db.pool, plain)).toBeNull();
  });

  it("bi.plan_results holds the same rows as the service, plus nothing for plans without responses", async () => {
    const r = (await planResults(f.db.pool, held))!;
    // numeric and bigint columns arrive as text; the text is the exact decimal
    const view = (await q<ViewRow>("SELECT * FROM bi.plan_results WHERE plan_id = $1", [held])).map(
      (row) =>
        Object.fromEntries(
          Object.entries(row).map(([k, v]) => [
            k,
            typeof v === "string" && /^-?\d/.test(v) ? Number(v) : v,
          ]),
        ),
    );
    const service = [r.total, ...r.bySegment, ...r.byOffer, ...r.byChannel, ...r.cells];
    expect(view.length).toBe(service.length);
    const key = (level: unknown, s: unknown, o: unknown, c: unknown) =>
      JSON.stringify([level, s, o, c]);
    const byKey = new Map(view.map((v) => [key(v.level, v.segment, v.offer_id, v.channel_id), v]));
    for (const s of service) {
      const v = byKey.get(key(s.level, s.segment, s.offer, s.channel))!;
      expect(v).toBeDefined();
      expect([v.treatment_customers, v.control_customers]).toEqual([
        s.treatment.customers,
        s.control.customers,
      ]);
      expect([v.treatment_responders, v.control_responders]).toEqual([
        s.treatment.responders,
        s.control.responders,
      ]);
      const pairs: [ViewRow[string], number | null][] = [
        [v.treatment_response_rate, s.treatment.responseRate],
        [v.control_response_rate, s.control.responseRate],
        [v.uplift, s.uplift],
        [v.uplift_ci_low, s.upliftCiLow],
        [v.uplift_ci_high, s.upliftCiHigh],
        [v.treatment_revenue, s.treatment.revenue],
        [v.control_revenue, s.control.revenue],
        [v.treatment_revenue_per_customer, s.treatment.revenuePerCustomer],
        [v.control_revenue_per_customer, s.control.revenuePerCustomer],
        [v.revenue_uplift_per_customer, s.revenueUpliftPerCustomer],
        [v.predicted_response_rate, s.predictedResponseRate],
        [v.actual_to_predicted, s.actualToPredicted],
      ];
      for (const [a, b] of pairs) {
        if (b === null) expect(a).toBeNull();
        else expect(a as number).toBeCloseTo(b, 9);
      }
    }
    const totals = view.filter(
      (v) => v.offer_id === null && v.segment === null && v.channel_id === null,
    );
    expect(totals.map((v) => v.level).sort()).toEqual(
      r.bySegment.some((s) => s.segment === null) ? ["segment", "total"] : ["total"],
    );
    expect(await q("SELECT 1 FROM bi.plan_results WHERE plan_id = $1", [plain])).toEqual([]);
  });
});

describe("recalibration", () => {
  let rec: Recalibration;
  let calibrated: number;

  it("stores factors shrunk from the measured ratios toward 1, moving toward the truth", async () => {
    rec = await recalibrateFromPlan(f.db.pool, held, { createdBy: "test" });
    expect(rec).toMatchObject({ sourcePlanId: held, baseCalibrationId: null, priorStrength: 20 });
    const stored = await f.prisma.scoreCalibrationFactor.findMany({
      where: { calibrationId: rec.calibrationId },
    });
    expect(stored.length).toBe(rec.cells.length);
    const r = (await planResults(f.db.pool, held))!;
    expect(rec.cells.length).toBe(r.cells.filter((c) => c.treatment.customers > 0).length);
    for (const c of rec.cells) {
      expect(c.previousFactor).toBe(1);
      const raw = c.rawFactor!;
      expect(c.factor).toBeGreaterThanOrEqual(Math.min(1, raw) - 1e-12);
      expect(c.factor).toBeLessThanOrEqual(Math.max(1, raw) + 1e-12);
    }
    for (const c of stored)
      expect(c.factor).toBeCloseTo((20 + c.responders) / (20 + c.predictedResponders), 12);
    // The data were drawn at 1.6 × the score for this offer, the one with the most responders
    // here; its factors move that way. (A 2,000-customer plan has few responders per cell, so
    // most cells barely move: the statistics of "toward the truth" are tested on larger
    // simulated campaigns in test/unit/results/calibration.test.ts.)
    const funds = rec.cells.filter((c) => c.offer === "inv_mutual_funds");
    const w = funds.reduce((s, c) => s + c.predictedResponders, 0);
    const mean = funds.reduce((s, c) => s + c.factor * c.predictedResponders, 0) / w;
    expect(mean).toBeGreaterThan(1);
    expect(mean).toBeLessThan(trueFactor("inv_mutual_funds"));
    await expect(f.db.pool.query("UPDATE score_calibration_factor SET factor = 1")).rejects.toThrow(
      /immutable/,
    );
    await expect(f.db.pool.query("DELETE FROM score_calibration")).rejects.toThrow(/immutable/);
  });

  it("the next plan runs on the calibrated returns, and its predictions include the factors", async () => {
    calibrated = (
      await createPlan(createDb(f.db.pool, f.prisma), f.versionId, {
        method: "CLUSTER_LP",
        clusters: 15,
        seed: 3,
        controlShare: SHARE,
        calibrationId: rec.calibrationId,
      })
    ).id;
    await executePlan(f.db.pool, f.prisma, calibrated);
    const rows = await q<{ stored: number; scored: number; factor: number | null }>(
      `SELECT a.expected_return AS stored, eo.expected_return AS scored, sf.factor
       FROM plan_assignment a
       JOIN customer cu ON cu.id = a.customer_id
       JOIN eligible_option eo USING (customer_id, offer_id, channel_id)
       LEFT JOIN score_calibration_factor sf ON sf.calibration_id = $2
         AND sf.segment = COALESCE(cu.segment, '') AND sf.offer_id = a.offer_id
         AND sf.channel_id = a.channel_id
       WHERE a.plan_id = $1`,
      [calibrated, rec.calibrationId],
    );
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.some((r) => r.factor !== null && Math.abs(r.factor - 1) > 0.05)).toBe(true);
    for (const r of rows) expect(r.stored).toBeCloseTo(r.scored * (r.factor ?? 1), 9);
    // the calibration shifts contacts toward the offers that did better than scored
    const share = async (plan: number) => {
      const [s] = await q<{ up: number }>(
        `SELECT avg((o.external_id = 'inv_mutual_funds')::int)::float8 AS up FROM plan_assignment a
         JOIN offer o ON o.id = a.offer_id WHERE a.plan_id = $1`,
        [plan],
      );
      return s!.up;
    };
    expect(await share(calibrated)).toBeGreaterThan(await share(held));

    await importPlanResponses(
      f.db.pool,
      calibrated,
      await simulatedResponses(f.db.pool, calibrated, f.dir, 23),
    );
    const r = (await planResults(f.db.pool, calibrated))!;
    expect(r.calibrationId).toBe(rec.calibrationId);
    const [p] = await q<{ p: number }>(
      `SELECT avg(LEAST(1, eo.probability * COALESCE(sf.factor, 1))) AS p
       FROM plan_assignment a JOIN customer cu ON cu.id = a.customer_id
       JOIN eligible_option eo USING (customer_id, offer_id, channel_id)
       LEFT JOIN score_calibration_factor sf ON sf.calibration_id = $2
         AND sf.segment = COALESCE(cu.segment, '') AND sf.offer_id = a.offer_id
         AND sf.channel_id = a.channel_id
       WHERE a.plan_id = $1 AND a."group" = 'treatment'`,
      [calibrated, rec.calibrationId],
    );
    expect(r.total.predictedResponseRate).toBeCloseTo(p!.p, 12);
  });

  it("a recalibration from that plan refines the calibration it ran with", async () => {
    const next = await recalibrateFromPlan(f.db.pool, calibrated, { priorStrength: 5 });
    expect(next).toMatchObject({ baseCalibrationId: rec.calibrationId, priorStrength: 5 });
    const first = new Map(
      rec.cells.map((c) => [JSON.stringify([c.segment, c.offer, c.channel]), c.factor]),
    );
    for (const c of next.cells) {
      const before = first.get(JSON.stringify([c.segment, c.offer, c.channel])) ?? 1;
      expect(c.previousFactor).toBeCloseTo(before, 12);
      // carried over unmeasured: the factor stays as it was
      if (c.customers === 0) expect(c.factor).toBe(c.previousFactor);
    }
    // every cell of the first calibration is still there
    expect(next.cells.length).toBeGreaterThanOrEqual(rec.cells.length);
    await expect(recalibrateFromPlan(f.db.pool, plain)).rejects.toThrow(ConflictError);
    await expect(recalibrateFromPlan(f.db.pool, held, { priorStrength: 0 })).rejects.toThrow(
      InputError,
    );
  });
});
