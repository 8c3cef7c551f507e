// Pricing a customer's options at a plan's duals (src/optimize/explain.ts): the coefficients are
// the optimiser's own (coupling.ts), the reduced value is the Lagrangian's, the signs make
// economic sense on a small LP solved exactly, and the reason names each case.
import { buildCoupling, coefficient } from "../../../src/optimize/coupling";
import {
  coefficientOn,
  explainChoice,
  priceOption,
  ROMI_TARGET,
  type DualRow,
  type ExplainInput,
  type OptionFacts,
  type PricingContext,
  type RuleFacts,
} from "../../../src/optimize/explain";
import { buildIndividualLp } from "../../../src/optimize/individual-lp";
import type { Instance, PlanConstraints } from "../../../src/optimize/instance";
import { EXPECTED_RETURN, priceTable, reducedValue } from "../../../src/optimize/lagrangian";
import { HighsSolver } from "../../../src/optimize/lp/highs";
import { optimize } from "../../../src/optimize/optimize";
import { Rng } from "../../../src/optimize/rng";
import { bruteForce, randomInstance, tightConstraints } from "./helpers";

const ALL = {
  M: 1,
  budget: true,
  capacity: true,
  minimums: true,
  maximums: true,
  hurdle: true,
  segmentRules: true,
};

function rulesOf(inst: Instance, cons: PlanConstraints): RuleFacts[] {
  return cons.segmentRules.map((r) => ({
    name: r.name,
    kind: r.max !== null ? "segment_max" : "segment_min_share",
    segment: inst.segments[r.segment]!,
    offer: r.offer >= 0 ? inst.offerIds[r.offer]! : null,
    channel: r.channel >= 0 ? inst.channelIds[r.channel]! : null,
    minShare: r.minShare,
  }));
}

const factsOf = (inst: Instance, p: number): OptionFacts => ({
  offer: inst.offerIds[inst.optOffer[p]!]!,
  channel: inst.channelIds[inst.optChannel[p]!]!,
  expectedReturn: inst.optReturn[p]!,
  cost: inst.optCost[p]!,
});

const segmentOf = (inst: Instance, i: number) =>
  inst.customerSegment[i]! >= 0 ? inst.segments[inst.customerSegment[i]!]! : null;

function customerOf(inst: Instance, p: number): number {
  let i = 0;
  while (inst.custStart[i + 1]! <= p) i++;
  return i;
}

describe("coefficients and reduced values", () => {
  test("every option's coefficient on every row is coupling.ts's", () => {
    let compared = 0;
    const kinds = new Set<string>();
    for (let seed = 1; seed <= 6; seed++) {
      const inst = randomInstance(seed, { customers: 40, offers: 4, channels: 3, segments: 3 });
      const cons = tightConstraints(inst, seed, ALL);
      const cp = buildCoupling(inst, cons);
      const rules = rulesOf(inst, cons);
      for (const r of cp.rows) kinds.add(r.kind);
      for (let i = 0; i < inst.numCustomers; i++) {
        const ctx = { segment: segmentOf(inst, i), hurdleRate: cons.hurdleRate, rules };
        for (let p = inst.custStart[i]!; p < inst.custStart[i + 1]!; p++) {
          cp.rows.forEach((row, j) => {
            expect(coefficientOn(row, factsOf(inst, p), ctx)).toBeCloseTo(
              coefficient(cp, inst, p, j),
              12,
            );
            compared++;
          });
        }
      }
    }
    expect(compared).toBeGreaterThan(5000);
    expect([...kinds].sort()).toEqual([
      "budget",
      "capacity",
      "hurdle",
      "offer_max",
      "offer_min",
      "segment_max",
      "segment_min_share",
    ]);
  });

  test("the reduced value is the Lagrangian's at the same prices (expected return and ROMI)", () => {
    const inst = randomInstance(5, { customers: 60, offers: 4, channels: 3, segments: 3 });
    const cons = tightConstraints(inst, 5, ALL);
    const cp = buildCoupling(inst, cons);
    const rng = new Rng(9);
    const rules = rulesOf(inst, cons);
    for (let t = 0; t < 10; t++) {
      const lambda = Float64Array.from({ length: cp.m }, () =>
        rng.float() < 0.3 ? 0 : rng.float(),
      );
      // the report's dual of a row is sign·λ (optimize.ts, dualsByName)
      const report: DualRow[] = cp.rows.map((r, j) => ({
        name: r.name,
        kind: r.kind,
        dual: cp.sign[j]! * lambda[j]!,
      }));
      const q = rng.float();
      const planCost = 50 + 100 * rng.float();
      const romiReport = report.map((r) => ({ ...r, dual: r.dual! / planCost }));
      const pt = priceTable(cp, lambda, EXPECTED_RETURN);
      const ptRomi = priceTable(cp, lambda, { wr: 1, wc: -(1 + q) });
      for (let p = 0; p < inst.optOffer.length; p++) {
        const base = {
          segment: segmentOf(inst, customerOf(inst, p)),
          hurdleRate: cons.hurdleRate,
          rules,
        };
        const priced = priceOption(factsOf(inst, p), { ...base, report });
        expect(priced.reducedValue).toBeCloseTo(reducedValue(pt, cp, inst, p), 9);
        const romi = priceOption(factsOf(inst, p), {
          ...base,
          report: romiReport,
          romi: { q, cost: planCost },
        });
        expect(romi.reducedValue).toBeCloseTo(reducedValue(ptRomi, cp, inst, p), 9);
        expect(romi.charges[0]).toMatchObject({ constraint: ROMI_TARGET, dual: 1 + q });
      }
    }
  });

  test("hand-computed charges: budget, capacity, minimum, hurdle, min-share rule", () => {
    const ctx: PricingContext = {
      segment: "gold",
      hurdleRate: 0.2,
      rules: [
        {
          name: "segment:gold/channel:mail",
          kind: "segment_min_share",
          segment: "gold",
          offer: null,
          channel: "mail",
          minShare: 0.3,
        },
      ],
      report: [
        { name: "budget", kind: "budget", dual: 1.5 },
        { name: "hurdle", kind: "hurdle", dual: -0.1 },
        { name: "capacity:mail", kind: "capacity", dual: 0.5 },
        { name: "capacity:call", kind: "capacity", dual: 2 },
        { name: "offer_min:card", kind: "offer_min", dual: -2 },
        { name: "offer_max:loan", kind: "offer_max", dual: 4 },
        { name: "segment:gold/channel:mail", kind: "segment_min_share", dual: -1 },
        { name: "offers_per_customer", kind: "offers_per_customer", dual: null },
      ],
    };
    const mail = priceOption({ offer: "card", channel: "mail", expectedReturn: 10, cost: 2 }, ctx);
    // 10 − 1.5·2 − (−0.1)·(10 − 1.2·2) − 0.5·1 − (−2)·1 − (−1)·(1 − 0.3)
    expect(mail.reducedValue).toBeCloseTo(10 - 3 + 0.76 - 0.5 + 2 + 0.7, 12);
    expect(Object.fromEntries(mail.charges.map((c) => [c.constraint, c.amount]))).toEqual({
      budget: 3,
      hurdle: expect.closeTo(-0.76, 12),
      "capacity:mail": 0.5,
      "offer_min:card": -2,
      "segment:gold/channel:mail": expect.closeTo(-0.7, 12),
    });
    // a call contact counts against the min share: (0 − 0.3) × −1 is a charge
    const call = priceOption({ offer: "loan", channel: "call", expectedReturn: 10, cost: 4 }, ctx);
    expect(call.reducedValue).toBeCloseTo(10 - 6 + 0.1 * (10 - 4.8) - 2 - 4 - 0.3, 12);
    // another segment's customer is not touched by the rule
    const other = priceOption(
      { offer: "loan", channel: "call", expectedReturn: 10, cost: 4 },
      { ...ctx, segment: "silver" },
    );
    expect(other.charges.map((c) => c.constraint)).not.toContain("segment:gold/channel:mail");
  });
});

// Five customers, offers card and loan, channels mail (cost 1) and call (cost 2); budget 5, one
// call contact at most, at least one loan. The LP relaxation's optimum is integral (checked), so
// its duals price the optimal plan exactly.
const SMALL: [number, number, number, number][] = [
  [0, 0, 0, 6],
  [0, 0, 1, 9.5],
  [0, 1, 0, 2],
  [1, 0, 0, 5],
  [1, 0, 1, 8.2],
  [1, 1, 0, 3],
  [2, 0, 0, 4],
  [2, 1, 0, 2.6],
  [3, 0, 0, 3.2],
  [3, 1, 0, 2.2],
  [3, 1, 1, 3.5],
  [4, 0, 0, 1],
  [4, 1, 0, 0.5],
];

function smallInstance(): { inst: Instance; cons: PlanConstraints } {
  const n = 5;
  const custStart = [0];
  for (let i = 0; i < n; i++) custStart.push(SMALL.filter((r) => r[0] <= i).length);
  const inst: Instance = {
    numCustomers: n,
    offerIds: ["card", "loan"],
    channelIds: ["mail", "call"],
    segments: ["s0"],
    customerSegment: new Int32Array(n),
    customerKey: Int32Array.from({ length: n }, (_, i) => i + 1),
    custStart: Int32Array.from(custStart),
    optOffer: Int32Array.from(SMALL.map((r) => r[1])),
    optChannel: Int32Array.from(SMALL.map((r) => r[2])),
    optReturn: Float64Array.from(SMALL.map((r) => r[3])),
    optCost: Float64Array.from(SMALL.map((r) => (r[2] === 1 ? 2 : 1))),
  };
  const cons: PlanConstraints = {
    objective: "EXPECTED_RETURN",
    budget: 5,
    hurdleRate: null,
    maxOffersPerCustomer: 1,
    channelCapacity: Float64Array.from([Infinity, 1]),
    offerMin: Float64Array.from([0, 1]),
    offerMax: Float64Array.from([Infinity, Infinity]),
    segmentRules: [],
  };
  return { inst, cons };
}

function explainAll(inst: Instance, selected: Uint8Array, report: DualRow[], method: "EXACT") {
  return Array.from({ length: inst.numCustomers }, (_, i) => {
    const eligible: OptionFacts[] = [];
    const chosen: OptionFacts[] = [];
    for (let p = inst.custStart[i]!; p < inst.custStart[i + 1]!; p++) {
      eligible.push(factsOf(inst, p));
      if (selected[p]) chosen.push(factsOf(inst, p));
    }
    return explainChoice({
      customerId: `c${i}`,
      doNotContact: false,
      eligible,
      chosen,
      maxOffersPerCustomer: 1,
      method,
      pricing: { segment: "s0", hurdleRate: null, rules: [], report },
    });
  });
}

describe("signs on a small plan", () => {
  test("at the exact LP duals every chosen option beats its runner-up; budget charges, minimum subsidises", async () => {
    const { inst, cons } = smallInstance();
    const cp = buildCoupling(inst, cons);
    const lp = buildIndividualLp(inst, cp, EXPECTED_RETURN);
    const sol = await new HighsSolver().solve(lp.model);
    expect(sol.status).toBe("optimal");
    expect(Array.from(sol.x).every((x) => Math.abs(x - Math.round(x)) < 1e-9)).toBe(true);
    expect(sol.objective).toBeCloseTo(bruteForce(inst, cons).value, 9);
    const report: DualRow[] = cp.rows.map((r, j) => ({
      name: r.name,
      kind: r.kind,
      dual: sol.rowDual[lp.couplingRow[j]!]!,
    }));
    const dual = (name: string) => report.find((r) => r.name === name)!.dual!;
    expect(dual("budget")).toBeGreaterThan(0);
    expect(dual("offer_min:loan")).toBeLessThan(0);
    const selected = Uint8Array.from(sol.x, (x) => (x > 0.5 ? 1 : 0));
    for (const e of explainAll(inst, selected, report, "EXACT")) {
      const best = e.chosen[0]?.reducedValue ?? 0;
      expect(best).toBeGreaterThanOrEqual((e.runnerUp?.reducedValue ?? -Infinity) - 1e-9);
      if (e.chosen.length === 0) expect(e.runnerUp!.reducedValue).toBeLessThanOrEqual(1e-9);
    }
  });

  test("optimize EXACT: its report's duals explain its plan, with no ties", async () => {
    const { inst, cons } = smallInstance();
    const res = await optimize(inst, cons, { method: "EXACT" });
    expect(res.value).toBeCloseTo(bruteForce(inst, cons).value, 9);
    const report: DualRow[] = res.constraintReport;
    const dual = (name: string) => report.find((r) => r.name === name)!.dual!;
    expect(dual("budget")).toBeGreaterThan(0);
    expect(dual("capacity:call")).toBeGreaterThan(0);
    expect(dual("offer_min:loan")).toBeLessThan(0);
    const all = explainAll(inst, res.selected, report, "EXACT");
    let compared = 0;
    for (const e of all) {
      if (e.chosen.length === 0) {
        expect(e.options.every((o) => o.reducedValue < 0)).toBe(true);
        expect(e.reason).toMatch(/gets nothing: every option's reduced value is ≤ 0/);
        continue;
      }
      expect(e.chosen[0]!.reducedValue).toBeGreaterThan(e.runnerUp!.reducedValue + 1e-6);
      expect(e.reason).toMatch(/The runner-up .* adds .* vs .* for the chosen/);
      compared++;
      // economics: the budget charges cost × its price, the loan minimum subsidises a loan
      for (const o of e.options) {
        const budget = o.charges.find((c) => c.constraint === "budget")!;
        expect(budget.amount).toBeCloseTo(o.cost * dual("budget"), 12);
        const min = o.charges.find((c) => c.constraint === "offer_min:loan");
        if (o.offer === "loan") expect(min!.amount).toBeLessThan(0);
        else expect(min).toBeUndefined();
      }
    }
    expect(compared).toBe(4);
  });
});

describe("ROMI", () => {
  // The report's ROMI duals are d ROMI / d bound; scaled back by the plan's cost and with cost
  // charged 1 + ROMI per $, they price the parametric objective the plan was built for.
  test("an EXACT ROMI plan's duals, read as dollars of R − (1+q)·C, explain its choices", async () => {
    let contacted = 0;
    let agree = 0;
    let leftOutPositive = 0;
    for (let seed = 1; seed <= 4; seed++) {
      const inst = randomInstance(seed, { customers: 300, offers: 4, channels: 3 });
      const cons = tightConstraints(inst, seed, {
        M: 1,
        budget: true,
        capacity: true,
        minimums: true,
        objective: "ROMI",
      });
      const res = await optimize(inst, cons, { method: "EXACT" });
      const romi = { q: res.kpis.roi, cost: res.kpis.cost };
      for (let i = 0; i < inst.numCustomers; i++) {
        const eligible: OptionFacts[] = [];
        const chosen: OptionFacts[] = [];
        for (let p = inst.custStart[i]!; p < inst.custStart[i + 1]!; p++) {
          eligible.push(factsOf(inst, p));
          if (res.selected[p]) chosen.push(factsOf(inst, p));
        }
        if (eligible.length === 0) continue;
        const e = explainChoice({
          customerId: `c${i}`,
          doNotContact: false,
          eligible,
          chosen,
          maxOffersPerCustomer: 1,
          method: "EXACT",
          pricing: {
            segment: null,
            hurdleRate: null,
            rules: [],
            report: res.constraintReport,
            romi,
          },
        });
        if (e.chosen.length === 0) {
          if (e.options[0]!.reducedValue > 1e-9) leftOutPositive++;
          continue;
        }
        contacted++;
        if (!e.runnerUp || e.chosen[0]!.reducedValue >= e.runnerUp.reducedValue - 1e-9) agree++;
      }
    }
    expect(contacted).toBeGreaterThan(300);
    // measured: 1 customer in ~600 is moved by repair / polish against the prices
    expect(agree).toBeGreaterThanOrEqual(0.98 * contacted);
    expect(leftOutPositive).toBeLessThanOrEqual(0.01 * contacted);
  });
});

describe("reasons", () => {
  const pricing: PricingContext = {
    segment: null,
    hurdleRate: null,
    rules: [],
    report: [
      { name: "budget", kind: "budget", dual: 2 },
      { name: "capacity:call", kind: "capacity", dual: 1 },
    ],
  };
  const opt = (offer: string, channel: string, expectedReturn: number, cost: number) => ({
    offer,
    channel,
    expectedReturn,
    cost,
  });
  const base: ExplainInput = {
    customerId: "C1",
    doNotContact: false,
    eligible: [opt("card", "mail", 10, 1), opt("card", "call", 12, 2), opt("loan", "mail", 5, 1)],
    chosen: [],
    maxOffersPerCustomer: 1,
    method: "EXACT",
    pricing,
  };

  test("do-not-contact and no options", () => {
    expect(explainChoice({ ...base, doNotContact: true, eligible: [] }).reason).toMatch(
      /do-not-contact/,
    );
    const none = explainChoice({ ...base, eligible: [] });
    expect(none.reason).toMatch(/no eligible \(offer, channel\) option/);
    expect(none.options).toEqual([]);
    expect(none.runnerUp).toBeNull();
  });

  test("chosen is the best: runner-up and the charges that separate them", () => {
    const e = explainChoice({ ...base, chosen: [opt("card", "mail", 10, 1)] });
    // card/mail 10 − 2 = 8; card/call 12 − 4 − 1 = 7; loan/mail 5 − 2 = 3
    expect(e.options.map((o) => o.reducedValue)).toEqual([8, 7, 3]);
    expect(e.chosen.map((o) => o.channel)).toEqual(["mail"]);
    expect(e.runnerUp).toMatchObject({ offer: "card", channel: "call", reducedValue: 7 });
    expect(e.reason).toContain(
      "The runner-up card via call adds 7.00 at the plan's prices vs 8.00 for the chosen card via mail",
    );
    expect(e.reason).toContain("charged 4.00 by the budget (dual 2.00 per $)");
    expect(e.reason).toContain("charged 1.00 by the call capacity (dual 1.00 per contact)");
  });

  test("chosen below the runner-up is put down to repair and polish after the prices", () => {
    const e = explainChoice({ ...base, method: "CLUSTER_LP", chosen: [opt("loan", "mail", 5, 1)] });
    expect(e.runnerUp).toMatchObject({ offer: "card", channel: "mail" });
    expect(e.reason).toMatch(/although the runner-up card via mail adds more/);
    // the report's duals are the prices the plan was built at, no longer the cluster LP's
    expect(e.reason).toMatch(/the individual-level prices the plan was built \(or polished\) at/);
    expect(e.reason).toMatch(/repaired and polished until every constraint holds exactly/);
    expect(e.reason).not.toMatch(/cluster means|disaggregat/);
  });

  test("nothing: all options priced out, or left out despite a positive value", () => {
    const expensive = { ...pricing, report: [{ name: "budget", kind: "budget", dual: 20 }] };
    const out = explainChoice({ ...base, pricing: expensive });
    expect(out.chosen).toEqual([]);
    expect(out.reason).toMatch(/gets nothing: every option's reduced value is ≤ 0/);
    const left = explainChoice(base);
    expect(left.reason).toMatch(/gets nothing although card via mail adds 8.00/);
    expect(left.reason).toMatch(/repaired and polished/);
    // the report zeroes rows with room left, which can hide a price the plan was built with
    expect(left.reason).toMatch(/a row the plan leaves room on is reported at 0 even where/);
  });

  test("several offers per customer: the runner-up is an offer not yet given", () => {
    const e = explainChoice({
      ...base,
      maxOffersPerCustomer: 2,
      chosen: [opt("card", "mail", 10, 1)],
    });
    expect(e.runnerUp).toMatchObject({ offer: "loan", channel: "mail" });
    expect(e.reason).toMatch(/free slot/);
    const full = explainChoice({
      ...base,
      maxOffersPerCustomer: 2,
      chosen: [opt("card", "mail", 10, 1), opt("loan", "mail", 5, 1)],
    });
    expect(full.runnerUp).toBeNull();
    expect(full.reason).toMatch(/every option they could take \(one per offer\) was given/);
  });

  test("GREEDY: one plain sentence, no prices, no charges", () => {
    const greedyPricing = { ...pricing, report: pricing.report.map((r) => ({ ...r, dual: null })) };
    const greedy = explainChoice({
      ...base,
      method: "GREEDY",
      chosen: [opt("card", "call", 12, 2)],
      pricing: greedyPricing,
    });
    expect(greedy.options.map((o) => [o.channel, o.reducedValue])).toEqual([
      ["call", 12],
      ["mail", 10],
      ["mail", 5],
    ]);
    expect(greedy.options.every((o) => o.charges.length === 0)).toBe(true);
    expect(greedy.reason).toBe(
      "Customer C1 gets card via call: the ad-hoc plan has no prices; it serves offer minimums " +
        "first, then customers in descending order of their best expected return until budget " +
        "or capacity runs out.",
    );
    const nothing = explainChoice({ ...base, method: "GREEDY", pricing: greedyPricing });
    expect(nothing.reason).toBe(
      "Customer C1 gets nothing: the ad-hoc plan has no prices; it serves offer minimums first, " +
        "then customers in descending order of their best expected return until budget or " +
        "capacity runs out.",
    );
    // a ROMI objective or stray duals do not make a GREEDY plan priced
    const romiGreedy = explainChoice({
      ...base,
      method: "GREEDY",
      chosen: [opt("card", "mail", 10, 1)],
      pricing: { ...pricing, romi: { q: 1.5, cost: 100 } },
    });
    expect(romiGreedy.options.every((o) => o.charges.length === 0)).toBe(true);
    expect(romiGreedy.options.map((o) => o.reducedValue)).toEqual([12, 10, 5]);
    for (const e of [greedy, nothing, romiGreedy]) {
      expect(e.reason).not.toMatch(/price[sd]? (at|by)|at the plan's prices|dual|ROMI|→/);
      expect(e.reason.match(/\./g)).toHaveLength(1);
    }
    // a rule that forbids an option is still named, without a price
    const blocked = explainChoice({
      ...base,
      method: "GREEDY",
      chosen: [opt("card", "mail", 10, 1)],
      pricing: greedyPricing,
      policies: { blocked: new Map([["card\u0000call", ["fatigue:30d"]]]), notes: [] },
    });
    expect(blocked.reason).toMatch(/ card via call is not allowed: fatigue:30d\.$/);
    expect(blocked.reason).not.toMatch(/would add|at the plan.s prices/);
  });

  test("ROMI plans say what their numbers are, the same for CLUSTER_LP and EXACT", () => {
    const romi = explainChoice({
      ...base,
      chosen: [opt("card", "mail", 10, 1)],
      pricing: { ...pricing, romi: { q: 1.5, cost: 100 } },
    });
    expect(romi.reason).toMatch(
      /ROMI plan: it maximises return − \(1\+q\)·cost at q = its ROMI 1.50/,
    );
    // CLUSTER_LP's ROMI duals are its final prices divided by the plan's cost, like EXACT's
    const cluster = explainChoice({
      ...base,
      method: "CLUSTER_LP",
      chosen: [opt("card", "mail", 10, 1)],
      pricing: { ...pricing, romi: { q: 1.5, cost: 100 } },
    });
    expect(cluster.reason).not.toMatch(/approximate|its own cost/);
    expect(cluster.options.map((o) => o.reducedValue)).toEqual(
      romi.options.map((o) => o.reducedValue),
    );
    // card/mail: 10 − 2.5·1 − 2·100·1 < 0 — the ROMI duals are scaled back to dollars
    expect(
      romi.options.find((o) => o.channel === "mail" && o.offer === "card")!.reducedValue,
    ).toBeCloseTo(10 - 2.5 - 200, 9);
  });
});
