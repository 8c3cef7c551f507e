// Contact policies end to end: the facts read from the history for a campaign date (window edges
// included), a plan run that honours every rule and reports each (report-only rows stored as
// such), and rule ids checked against the dataset when a set is saved.
import { createDb } from "../../../src/services/db-handles";
import { loadInstance } from "../../../src/db/instance-loader";
import { loadPolicies } from "../../../src/db/policy-facts";
import { resolvePolicies } from "../../../src/domain/resolve-policies";
import { parseConstraintSet } from "../../../src/domain/constraint-set";
import {
  ConstraintSetInputError,
  createConstraintSet,
  getVersion,
} from "../../../src/services/constraint-sets";
import { InputError } from "../../../src/services/errors";
import { createPlan, executePlan } from "../../../src/services/plans";
import { explainCustomer } from "../../../src/services/explain";
import type { Policy } from "../../../src/optimize/policy-types";
import { resultsFixture, type ResultsFixture } from "../results/helpers";

let f: ResultsFixture;
let ids: string[];
const T = "2026-12-01";

async function contact(customer: string, offer: string, channel: string, at: string) {
  await f.db.pool.query(
    `INSERT INTO contact_history (customer_id, offer_id, channel_id, contacted_at, import_id)
     SELECT cu.id, o.id, ch.id, $4::timestamptz, $5
     FROM customer cu, offer o, channel ch
     WHERE cu.external_id = $1 AND o.external_id = $2 AND ch.external_id = $3`,
    [customer, offer, channel, at, importId],
  );
}
let importId = 0;

const RULES = {
  fatigueRules: [{ maxContacts: 2, windowDays: 30 }],
  coolOffRules: [{ days: 30, offerCategory: "investment" }],
  exclusionRules: [{ offerIds: ["inv_rrsp", "inv_gic"] }],
  sequencingRules: [{ offerId: "inv_managed", afterOfferId: "inv_rrsp", minDays: 10 }],
  customCapacities: [
    {
      name: "avg_risk_lending",
      attribute: "risk_score",
      aggregate: "AVERAGE",
      max: 0.4,
      offerCategory: "lending",
    },
    { name: "call_minutes", attribute: "risk_score", aggregate: "SUM", max: 1e9, reportOnly: true },
  ],
  householdRules: [{ maxOffers: 1 }],
};

beforeAll(async () => {
  f = await resultsFixture(600);
  ids = (
    await f.db.pool.query<{ id: string }>(
      "SELECT external_id AS id FROM customer WHERE NOT do_not_contact ORDER BY id LIMIT 8",
    )
  ).rows.map((r) => r.id);
  importId = (
    await f.db.pool.query<{ id: number }>(
      `INSERT INTO contact_import (file, rows_read, inserted, unchanged, seconds)
       VALUES ('test', 0, 0, 0, 0) RETURNING id`,
    )
  ).rows[0]!.id;
  // customer 0: two contacts inside the 30-day window (days T-29 and T-1), one just outside (T-30)
  await contact(ids[0]!, "dd_package", "mail", "2026-11-02T10:00:00Z");
  await contact(ids[0]!, "dd_savings", "mail", "2026-11-30T23:59:00Z");
  await contact(ids[0]!, "dd_online", "mail", "2026-11-01T12:00:00Z");
  // customer 1: an investment offer 29 days ago (cool-off 30 days blocks it), rrsp 10 days ago
  await contact(ids[1]!, "inv_mutual_funds", "mail", "2026-11-02T09:00:00Z");
  await contact(ids[1]!, "inv_rrsp", "mail", "2026-11-21T09:00:00Z");
  // customer 2: rrsp 9 days ago: too recent for the sequencing rule; and 30 days ago for cool-off: out
  await contact(ids[2]!, "inv_rrsp", "call_centre", "2026-11-22T09:00:00Z");
  await contact(ids[2]!, "inv_gic", "mail", "2026-11-01T08:00:00Z");
  // households and risk scores
  await f.db.pool.query(
    `UPDATE customer SET attributes = coalesce(attributes, '{}'::jsonb) ||
       jsonb_build_object('household_id', 'h' || (id % 250), 'risk_score', ((id * 37) % 100) / 100.0)`,
  );
  await f.db.pool.query(
    `UPDATE customer SET attributes = attributes - 'risk_score' WHERE external_id = $1`,
    [ids[3]],
  );
});
afterAll(async () => {
  await f.close();
});

async function facts(): Promise<{ policies: Policy[]; index: (c: string) => number }> {
  const loaded = await loadInstance(f.db.pool);
  const { definition } = await getVersion(f.prisma, f.versionId);
  const parsed = parseConstraintSet({ ...definition, ...RULES });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const def = parsed.value;
  const specs = resolvePolicies(def, {
    offerIds: loaded.instance.offerIds,
    channelIds: loaded.instance.channelIds,
    offerCategory: loaded.catalog.offers.map((o) => o.category),
  });
  const policies = await loadPolicies(f.db.pool, specs, loaded.instance, loaded.catalog, T);
  const keys = await f.db.pool.query<{ id: number; ext: string }>(
    "SELECT id, external_id AS ext FROM customer",
  );
  const byExt = new Map(keys.rows.map((r) => [r.ext, r.id]));
  const pos = new Map(Array.from(loaded.instance.customerKey, (k, i) => [k, i]));
  return { policies, index: (c) => pos.get(byExt.get(c)!)! };
}

describe("contact policies from the history", () => {
  it("reads each rule's facts for the campaign date, window edges included", async () => {
    const { policies, index } = await facts();
    const byKind = (k: Policy["kind"]) => policies.find((p) => p.kind === k)!;
    const fatigue = byKind("fatigue") as Extract<Policy, { kind: "fatigue" }>;
    expect(fatigue.name).toBe("fatigue:30d");
    // T-30 is outside a 30-day window ending on T; T-29 and T-1 are inside
    expect(fatigue.prior[index(ids[0]!)]).toBe(2);
    expect(fatigue.prior[index(ids[1]!)]).toBe(2);
    expect(fatigue.prior[index(ids[2]!)]).toBe(1);
    expect(fatigue.prior[index(ids[4]!)]).toBe(0);

    const cool = byKind("cool_off") as Extract<Policy, { kind: "cool_off" }>;
    const pairs = new Set(
      Array.from(cool.blockedCustomer, (i, t) => `${i}/${cool.blockedOffer[t]}`),
    );
    const loaded = await loadInstance(f.db.pool);
    const o = (id: string) => loaded.instance.offerIds.indexOf(id);
    expect(pairs).toEqual(
      new Set([
        `${index(ids[1]!)}/${o("inv_mutual_funds")}`,
        `${index(ids[1]!)}/${o("inv_rrsp")}`,
        `${index(ids[2]!)}/${o("inv_rrsp")}`,
      ]),
    );
    const seq = byKind("sequencing") as Extract<Policy, { kind: "sequencing" }>;
    expect(seq.qualified[index(ids[1]!)]).toBe(1); // rrsp 10 days before: enough
    expect(seq.qualified[index(ids[2]!)]).toBe(0); // 9 days: not yet
    const hh = byKind("household") as Extract<Policy, { kind: "household" }>;
    expect(hh.household[index(ids[0]!)]).toBeGreaterThanOrEqual(0);
    const custom = policies.find((p) => p.name === "custom:avg_risk_lending") as Extract<
      Policy,
      { kind: "custom_capacity" }
    >;
    expect(Number.isNaN(custom.customerValue![index(ids[3]!)])).toBe(true);
    expect(custom.customerValue![index(ids[4]!)]).toBeGreaterThanOrEqual(0);
  });

  it("runs a plan that honours every rule and stores the report, report-only rows marked", async () => {
    const { definition } = await getVersion(f.prisma, f.versionId);
    const { versionId } = await createConstraintSet(
      createDb(f.db.pool, f.prisma),
      { ...definition, name: "with policies", maxOffersPerCustomer: 2, ...RULES },
      { checkDataset: true },
    );
    const created = await createPlan(createDb(f.db.pool, f.prisma), versionId, {
      method: "EXACT",
      campaignDate: T,
    });
    const { result } = await executePlan(f.db.pool, f.prisma, created.id);
    const { rows } = await f.db.pool.query<{
      name: string;
      kind: string;
      activity: number;
      bound: number;
      binding: boolean;
      dual: number | null;
      report_only: boolean;
    }>(
      `SELECT name, kind, activity, bound, binding, dual, report_only FROM plan_constraint_report
       WHERE plan_id = $1 AND kind NOT IN ('budget','hurdle','capacity','offer_min','offer_max',
         'segment_max','segment_min_share','offers_per_customer') ORDER BY name`,
      [created.id],
    );
    expect(rows.map((r) => r.name)).toEqual([
      "cool_off:30d/category:investment",
      "custom:avg_risk_lending",
      "custom:call_minutes",
      "exclusion:inv_rrsp+inv_gic",
      "fatigue:30d",
      "household:household_id",
      "sequencing:inv_managed_after_inv_rrsp_10d",
    ]);
    for (const r of rows) {
      if (r.report_only) continue;
      expect(r.activity).toBeLessThanOrEqual(r.bound + 1e-9);
      expect(r.dual).not.toBeNull();
    }
    expect(rows.find((r) => r.name === "custom:call_minutes")).toMatchObject({
      report_only: true,
      dual: null,
      binding: false,
    });
    expect(result.upperBound).toBeGreaterThanOrEqual(result.value);
    // the customers the history restricts
    const got = await f.db.pool.query<{ customer: string; offer: string }>(
      `SELECT cu.external_id AS customer, o.external_id AS offer FROM plan_assignment a
       JOIN customer cu ON cu.id = a.customer_id JOIN offer o ON o.id = a.offer_id
       WHERE a.plan_id = $1 AND cu.external_id = ANY($2)`,
      [created.id, ids.slice(0, 4)],
    );
    for (const g of got.rows) {
      if (g.customer === ids[1]) expect(g.offer.startsWith("inv_")).toBe(false);
      if (g.customer === ids[2]) expect(["inv_rrsp", "inv_managed"]).not.toContain(g.offer);
      if (g.customer === ids[3]) expect(g.offer.startsWith("lend_")).toBe(false);
    }
    // customer 0 and 1 have used 2 of 2: nothing more
    expect(got.rows.filter((g) => g.customer === ids[0] || g.customer === ids[1])).toEqual([]);
    // the explanation names the rules: customer 1's investment offers are in cool-off, and
    // fatigue used up
    const planRow = await f.prisma.plan.findUniqueOrThrow({ where: { id: created.id } });
    const c1 = await f.db.pool.query<{ id: number; segment: string | null }>(
      "SELECT id, segment FROM customer WHERE external_id = $1",
      [ids[1]],
    );
    const e = await explainCustomer(f.db.pool, planRow, {
      dbId: c1.rows[0]!.id,
      id: ids[1]!,
      segment: c1.rows[0]!.segment,
      doNotContact: false,
      attributes: null,
    });
    const offerIds = await f.db.pool.query<{ id: number; ext: string }>(
      "SELECT id, external_id AS ext FROM offer",
    );
    const ext = new Map(offerIds.rows.map((r) => [r.id, r.ext]));
    const blocked = e.options.filter((o) => o.blockedBy.length > 0);
    expect(blocked.length).toBe(e.options.length); // fatigue: 2 of 2 used, nothing allowed
    for (const o of blocked) {
      const offer = ext.get(o.offerDbId)!;
      expect(o.blockedBy).toEqual(
        offer === "inv_mutual_funds" || offer === "inv_rrsp"
          ? ["fatigue:30d", "cool_off:30d/category:investment"]
          : ["fatigue:30d"],
      );
    }
    expect(e.reason).toContain(
      "fatigue:30d: 2 of 2 contacts in the 30-day window used before the campaign",
    );
  });

  it("rejects a rule naming an unknown category, and a bad campaign date", async () => {
    const { definition } = await getVersion(f.prisma, f.versionId);
    const e = await createConstraintSet(
      createDb(f.db.pool, f.prisma),
      { ...definition, name: "bad", coolOffRules: [{ days: 5, offerCategory: "crypto" }] },
      { checkDataset: true },
    ).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConstraintSetInputError);
    expect((e as ConstraintSetInputError).problems).toEqual([
      { path: "coolOffRules.0.offerCategory", message: 'no offer has category "crypto"' },
    ]);
    const d = await createPlan(createDb(f.db.pool, f.prisma), f.versionId, {
      method: "GREEDY",
      campaignDate: "2026-02-30",
    }).catch((x: unknown) => x);
    expect(d).toBeInstanceOf(InputError);
    expect((d as InputError).field).toBe("input.campaignDate");
  });

  it("plans a calendar of waves: each assignment in its wave, per-wave budgets held", async () => {
    const { definition } = await getVersion(f.prisma, f.versionId);
    const { versionId } = await createConstraintSet(
      createDb(f.db.pool, f.prisma),
      {
        ...definition,
        name: "calendar",
        budget: 1200,
        fatigueRules: [{ maxContacts: 1, windowDays: 45 }],
        waves: [
          { name: "dec", offsetDays: 0, budget: 300 },
          {
            name: "jan",
            offsetDays: 31,
            channelCapacities: [{ channelId: "branch", capacity: 5 }],
          },
        ],
      },
      { checkDataset: true },
    );
    const created = await createPlan(createDb(f.db.pool, f.prisma), versionId, {
      method: "EXACT",
      campaignDate: T,
    });
    const { result } = await executePlan(f.db.pool, f.prisma, created.id);
    const byWave = await f.db.pool.query<{ wave: string; cost: number; branch: number }>(
      `SELECT a.wave, sum(a.cost)::float8 AS cost,
              count(*) FILTER (WHERE ch.external_id = 'branch')::int AS branch
       FROM plan_assignment a JOIN channel ch ON ch.id = a.channel_id
       WHERE a.plan_id = $1 GROUP BY a.wave ORDER BY a.wave`,
      [created.id],
    );
    expect(byWave.rows.map((r) => r.wave)).toEqual(["dec", "jan"]);
    const dec = byWave.rows.find((r) => r.wave === "dec")!;
    const jan = byWave.rows.find((r) => r.wave === "jan")!;
    expect(dec.cost).toBeLessThanOrEqual(300 + 1e-6);
    expect(dec.cost + jan.cost).toBeLessThanOrEqual(1200 + 1e-6);
    expect(jan.branch).toBeLessThanOrEqual(5);
    // a 45-day fatigue window of 1 holds both waves (31 days apart): one contact per customer
    const twice = await f.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT customer_id FROM plan_assignment WHERE plan_id = $1
         GROUP BY customer_id HAVING count(*) > 1) t`,
      [created.id],
    );
    expect(twice.rows[0]!.n).toBe(0);
    const names = result.constraintReport.map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining(["budget", "budget@dec", "capacity:branch@jan", "fatigue:45d@jan"]),
    );
    expect(result.gap).toBeLessThan(0.05);
  });
});
