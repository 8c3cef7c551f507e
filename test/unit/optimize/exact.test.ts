import { buildCoupling } from "../../../src/optimize/coupling";
import { computeKpis, violations } from "../../../src/optimize/evaluate";
import { solveExact } from "../../../src/optimize/exact";
import { baselinePlan } from "../../../src/optimize/baseline";
import { bruteForce, randomInstance, tightConstraints } from "./helpers";

const ALL = {
  budget: true,
  capacity: true,
  minimums: true,
  maximums: true,
  hurdle: true,
  segmentRules: true,
};

describe("exact mode vs brute force", () => {
  test("feasible, bound ≥ optimum, value within the reported gap", () => {
    const ratios: number[] = [];
    for (let seed = 1; seed <= 30; seed++) {
      const M = 1 + (seed % 2);
      const inst = randomInstance(seed * 7, { customers: M === 1 ? 7 : 5, offers: 3, channels: 2 });
      const cons = tightConstraints(inst, seed, { ...ALL, M });
      const brute = bruteForce(inst, cons);
      const cp = buildCoupling(inst, cons);
      const res = solveExact(inst, cp, cons, { seed });
      if (brute.selected === null) continue;
      expect(res.upperBound).toBeGreaterThanOrEqual(brute.value - 1e-6);
      if (!res.feasible) {
        ratios.push(0);
        continue;
      }
      expect(violations(inst, cons, res.selected)).toEqual([]);
      const v = computeKpis(inst, cons, res.selected).expectedReturn;
      expect(v).toBeLessThanOrEqual(brute.value + 1e-6);
      ratios.push(brute.value > 0 ? v / brute.value : 1);
      const base = baselinePlan(inst, cp, cons.offerMin);
      if (base.feasible) expect(violations(inst, cons, base.selected)).toEqual([]);
    }
    const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
    expect(mean).toBeGreaterThan(0.9);
  });
});
