import { buildCoupling } from "../../../src/optimize/coupling";
import { minimiseDual } from "../../../src/optimize/dual-search";
import { buildIndividualLp } from "../../../src/optimize/individual-lp";
import { EXPECTED_RETURN, lagrangianPass, priceTable } from "../../../src/optimize/lagrangian";
import { margins } from "../../../src/optimize/scope";
import { HighsSolver } from "../../../src/optimize/lp/highs";
import { Rng } from "../../../src/optimize/rng";
import { bruteForce, randomInstance, tightConstraints } from "./helpers";

const solver = new HighsSolver();
const ALL = {
  M: 1,
  budget: true,
  capacity: true,
  minimums: true,
  maximums: true,
  hurdle: true,
  segmentRules: true,
};

describe("Lagrangian bound", () => {
  test("L(λ) bounds the brute-force optimum for any λ ≥ 0", () => {
    let checked = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const M = 1 + (seed % 2);
      const inst = randomInstance(seed, { customers: M === 1 ? 6 : 4, offers: 3, channels: 2 });
      const cons = tightConstraints(inst, seed, { ...ALL, M });
      const brute = bruteForce(inst, cons);
      if (brute.selected === null) continue;
      const cp = buildCoupling(inst, cons);
      const rng = new Rng(seed);
      for (let t = 0; t < 30; t++) {
        const lambda = Float64Array.from({ length: cp.m }, (_, j) =>
          rng.float() < 0.5 ? 0 : rng.float() * 3 * (cp.rows[j].kind === "budget" ? 1 : 10),
        );
        const L = lagrangianPass(inst, cp, lambda, EXPECTED_RETURN);
        expect(L.value).toBeGreaterThanOrEqual(brute.value - 1e-9);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  test("x(λ) respects offers per customer and distinct offers, activity matches the selection", () => {
    const inst = randomInstance(7, { customers: 50, offers: 4, channels: 3 });
    const cons = tightConstraints(inst, 7, { ...ALL, M: 2 });
    const cp = buildCoupling(inst, cons);
    const sel = new Uint8Array(inst.optOffer.length);
    const lambda = new Float64Array(cp.m).fill(0.3);
    const res = lagrangianPass(inst, cp, lambda, EXPECTED_RETURN, { selected: sel });
    let n = 0;
    for (let i = 0; i < inst.numCustomers; i++) {
      const offers = new Set<number>();
      for (let p = inst.custStart[i]; p < inst.custStart[i + 1]; p++) {
        if (!sel[p]) continue;
        n++;
        expect(offers.has(inst.optOffer[p])).toBe(false);
        offers.add(inst.optOffer[p]);
      }
      expect(offers.size).toBeLessThanOrEqual(2);
    }
    expect(res.contacts).toBe(n);
  });

  test("minimising L reaches the individual LP relaxation optimum", async () => {
    for (let seed = 1; seed <= 8; seed++) {
      const M = 1 + (seed % 2);
      const inst = randomInstance(100 + seed, {
        customers: 60,
        offers: 4,
        channels: 3,
        segments: 2,
      });
      const cons = tightConstraints(inst, seed, { ...ALL, M });
      const cp = buildCoupling(inst, cons);
      const lp = await solver.solve(buildIndividualLp(inst, cp, EXPECTED_RETURN).model);
      expect(lp.status).toBe("optimal");
      const res = minimiseDual(inst, cp, EXPECTED_RETURN, {
        start: new Float64Array(cp.m),
        maxPasses: 300,
        relTol: 1e-9,
      });
      expect(res.value).toBeGreaterThanOrEqual(lp.objective - 1e-6 * Math.abs(lp.objective));
      expect(res.value).toBeLessThanOrEqual(lp.objective + 1e-4 * Math.abs(lp.objective));
    }
  });
});

describe("margins from the pass", () => {
  test("equal the scope's margins of x(λ) with one offer per customer", () => {
    const inst = randomInstance(31, { customers: 200, offers: 4, channels: 3 });
    const cons = tightConstraints(inst, 31, { ...ALL, M: 1 });
    const cp = buildCoupling(inst, cons);
    const lambda = Float64Array.from({ length: cp.m }, (_, j) => 0.1 * (j + 1));
    const sel = new Uint8Array(inst.optOffer.length);
    const mg = new Float64Array(inst.numCustomers);
    lagrangianPass(inst, cp, lambda, EXPECTED_RETURN, { selected: sel, margins: mg });
    const ref = margins(inst, cp, priceTable(cp, lambda, EXPECTED_RETURN), sel);
    for (let i = 0; i < inst.numCustomers; i++) {
      if (inst.custStart[i + 1] === inst.custStart[i]) continue;
      expect(mg[i]).toBeCloseTo(ref[i], 9);
      expect(mg[i]).toBeGreaterThanOrEqual(0);
    }
  });
});
