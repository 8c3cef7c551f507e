// Decision quality of campaign calendars. A calendar's waves are copies of the same options, so at
// converged prices many customers are indifferent between waves and x(λ) puts all their contacts
// in whichever wave is priced a hair lower; the plan is only as good as the moves that spread them
// back. At 300k customers and 3 waves a fixed-size repair scope reached 91 % of the bound
// (docs/performance.md, "Decision quality"); here the same shape at CI size, with the fixed part
// of the scope shrunk in the same proportion, and tiny calendars against brute force.
import { expandCalendar, type Wave } from "../../../src/optimize/calendar";
import { buildCoupling } from "../../../src/optimize/coupling";
import { violations } from "../../../src/optimize/evaluate";
import { planAtPrices, searchPrices } from "../../../src/optimize/exact";
import { datasetToInstance } from "../../../src/generate";
import { EXPECTED_RETURN } from "../../../src/optimize/lagrangian";
import { optimize } from "../../../src/optimize/optimize";
import { compilePolicies } from "../../../src/optimize/policies";
import type { Instance, PlanConstraints } from "../../../src/optimize/instance";
import { bruteByEvaluate, randomInstance, unconstrained } from "./helpers";

function threeWaves(inst: Instance, cons: PlanConstraints, budget: number): Wave[] {
  return Array.from({ length: 3 }, (_, w) => ({
    name: `m${w + 1}`,
    offsetDays: 30 * w,
    budget,
    channelCapacity: new Float64Array(inst.channelIds.length).fill(Infinity),
    policies: [],
  }));
}

describe("calendar plan construction", () => {
  it("spreads tied contacts across waves at the prices (3 waves, hard shape, 6k customers)", () => {
    const { instance, constraints } = datasetToInstance({
      customers: 6000,
      seed: 1,
      profile: "hard",
    });
    const cal = expandCalendar(
      instance,
      constraints,
      threeWaves(instance, constraints, constraints.budget / 3),
    );
    const cons = { ...cal.cons, budget: Infinity };
    const compiled = compilePolicies(cal.inst, cons);
    const cp = buildCoupling(compiled.inst, cons, compiled);
    const prices = searchPrices(compiled.inst, cp, EXPECTED_RETURN, {
      start: new Float64Array(cp.m),
      fullPasses: 200,
      seed: 1,
    });
    // 20k of 300k customers is the default scope at 300k; 400 of 6k is the same share
    const plan = planAtPrices(
      compiled.inst,
      cp,
      EXPECTED_RETURN,
      prices.lambda,
      undefined,
      undefined,
      undefined,
      400,
    );
    expect(plan.feasible).toBe(true);
    expect(compiled.inst.optOffer.length).toBe(cal.inst.optOffer.length);
    expect(violations(cal.inst, cons, plan.state.selected)).toEqual([]);
    // a fixed scope of 400 customers gave 0.9206 of the bound; with the tied customers 0.99969
    expect(plan.state.totalR / prices.value).toBeGreaterThan(0.9995);
  });

  it("fills every wave of a tiny calendar with identical waves to the brute-force optimum", async () => {
    for (let seed = 1; seed <= 6; seed++) {
      const inst = randomInstance(200 + seed, {
        customers: 3,
        offers: 2,
        channels: 1,
        density: 1,
        dnc: 0,
      });
      // unit costs: each wave's budget is a number of contacts, so the optimum is the best
      // contacts spread over the waves, and every wave ties for every customer
      inst.optCost.fill(1);
      const cons = unconstrained(inst, 1);
      const cal = expandCalendar(inst, cons, threeWaves(inst, cons, 1));
      const best = bruteByEvaluate(cal.inst, cal.cons)!;
      expect(best).toBeGreaterThan(0);
      for (const method of ["EXACT", "CLUSTER_LP"] as const) {
        const res = await optimize(cal.inst, cal.cons, { method, clusters: 2, seed });
        expect(violations(cal.inst, cal.cons, res.selected)).toEqual([]);
        expect(res.value).toBeCloseTo(best, 6);
        expect(res.upperBound!).toBeGreaterThanOrEqual(best - 1e-6);
      }
    }
  });
});
