import { activities, buildCoupling } from "../../../src/optimize/coupling";
import { computeKpis, constraintReport, violations } from "../../../src/optimize/evaluate";
import type { Instance, PlanConstraints } from "../../../src/optimize/instance";
import { Rng } from "../../../src/optimize/rng";
import { randomInstance, randomPlan, tightConstraints, unconstrained } from "./helpers";

// 3 customers; customer 2 is do-not-contact (no options)
const inst: Instance = {
  numCustomers: 3,
  offerIds: ["a", "b"],
  channelIds: ["mail", "branch"],
  segments: ["mass", "premium"],
  customerSegment: Int32Array.from([0, 1, 1]),
  customerKey: Int32Array.from([10, 11, 12]),
  custStart: Int32Array.from([0, 3, 5, 5]),
  optOffer: Int32Array.from([0, 0, 1, 0, 1]),
  optChannel: Int32Array.from([0, 1, 0, 1, 1]),
  optReturn: Float64Array.from([3, 8, 2, 10, 6]),
  optCost: Float64Array.from([1, 5, 1, 5, 5]),
};

function cons(patch: Partial<PlanConstraints>): PlanConstraints {
  return { ...unconstrained(inst, 2), ...patch };
}

describe("evaluate", () => {
  const sel = Uint8Array.from([1, 0, 1, 1, 1]); // c0: a/mail + b/mail; c1: a/branch + b/branch

  test("KPIs by hand", () => {
    const k = computeKpis(inst, cons({}), sel);
    expect(k.expectedReturn).toBe(21);
    expect(k.cost).toBe(12);
    expect(k.roi).toBeCloseTo(0.75, 12);
    expect(k.contacts).toBe(4);
    expect(k.customersContacted).toBe(2);
    expect(k.contactsByChannel).toEqual({ mail: 2, branch: 2 });
    expect(k.contactsByOffer).toEqual({ a: 2, b: 2 });
  });

  test("report rows, slack, binding and duals", () => {
    const c = cons({
      budget: 12.5,
      hurdleRate: 0.5,
      channelCapacity: Float64Array.from([Infinity, 2]),
      offerMin: Float64Array.from([3, 0]),
      offerMax: Float64Array.from([Infinity, 5]),
      segmentRules: [
        {
          name: "segment:premium/channel:branch",
          segment: 1,
          offer: -1,
          channel: 1,
          max: null,
          minShare: 0.5,
        },
        { name: "segment:mass/offer:b", segment: 0, offer: 1, channel: -1, max: 0, minShare: null },
      ],
    });
    const rep = constraintReport(inst, c, sel, new Map([["budget", 1.25]]));
    expect(rep.map((r) => r.name)).toEqual([
      "budget",
      "hurdle",
      "capacity:branch",
      "offer_min:a",
      "offer_max:b",
      "segment:premium/channel:branch",
      "segment:mass/offer:b",
      "offers_per_customer",
    ]);
    const row = (n: string) => rep.find((r) => r.name === n)!;
    expect(row("budget")).toMatchObject({
      activity: 12,
      bound: 12.5,
      slack: 0.5,
      dual: 1.25,
      binding: true,
    });
    expect(row("hurdle")).toMatchObject({
      sense: "GE",
      activity: 21,
      bound: 18,
      slack: 3,
      binding: false,
    });
    expect(row("capacity:branch")).toMatchObject({
      activity: 2,
      slack: 0,
      binding: true,
      dual: null,
    });
    expect(row("offer_min:a")).toMatchObject({ activity: 2, bound: 3, slack: -1 });
    expect(row("segment:premium/channel:branch")).toMatchObject({
      activity: 2,
      bound: 1,
      slack: 1,
    });
    expect(row("segment:mass/offer:b")).toMatchObject({ activity: 1, bound: 0, slack: -1 });
    expect(row("offers_per_customer")).toMatchObject({ activity: 2, bound: 2, binding: true });
    const v = violations(inst, c, sel).map((x) => x.name);
    expect(v).toEqual(["offer_min:a", "segment:mass/offer:b"]);
  });

  test("offers per customer and repeated offers are violations", () => {
    const twice = Uint8Array.from([1, 1, 0, 0, 0]); // offer a twice for customer 0
    expect(violations(inst, cons({}), twice).map((x) => x.name)).toEqual(["distinct_offers"]);
    const c1 = cons({ maxOffersPerCustomer: 1 });
    expect(violations(inst, c1, sel).map((x) => x.name)).toEqual(["offers_per_customer"]);
  });

  test("tolerance is relative: 1e-12 over a budget is fine, 1e-6 is not", () => {
    const over = cons({ budget: 12 - 1e-11 });
    expect(violations(inst, over, sel)).toEqual([]);
    const worse = cons({ budget: 12 - 1e-6 });
    expect(violations(inst, worse, sel).map((x) => x.name)).toEqual(["budget"]);
  });

  test("coupling rows reproduce the report's activities on random plans", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const ri = randomInstance(seed, { customers: 30, offers: 4, channels: 3, segments: 3 });
      const M = 1 + (seed % 2);
      const c = tightConstraints(ri, seed, {
        M,
        budget: true,
        capacity: true,
        minimums: true,
        maximums: true,
        hurdle: true,
        segmentRules: true,
      });
      const cp = buildCoupling(ri, c);
      const plan = randomPlan(ri, M, new Rng(seed + 99));
      const act = activities(cp, ri, plan);
      const rep = constraintReport(ri, c, plan);
      cp.rows.forEach((row, j) => {
        const r = rep.find((x) => x.name === row.name && x.kind === row.kind)!;
        // coupling rows are in "activity − bound" form for hurdle and min-share rules
        const expected =
          row.kind === "hurdle" || row.kind === "segment_min_share"
            ? r.activity - r.bound
            : r.activity;
        expect(act[j]).toBeCloseTo(expected, 8);
      });
    }
  });
});
