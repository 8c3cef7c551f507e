import { solveMaster } from "../../../src/optimize/master-lp";
import { Rng } from "../../../src/optimize/rng";
import { argsortAsc, argsortDesc } from "../../../src/optimize/sort";
import { buildModel } from "../../../src/optimize/lp/build";
import { createSolver } from "../../../src/optimize/lp/index";

describe("argsort", () => {
  test("matches a comparator sort, stable on ties, for small and large inputs", () => {
    const rng = new Rng(3);
    for (const n of [5, 64, 65, 5000]) {
      const keys = Float64Array.from({ length: n }, () => Math.round((rng.float() - 0.4) * 40) / 4);
      const desc = Array.from(argsortDesc(keys));
      const ref = Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[b] - keys[a] || a - b);
      expect(desc).toEqual(ref);
      const asc = Array.from(argsortAsc(keys));
      expect(asc).toEqual(
        Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[a] - keys[b] || a - b),
      );
    }
  });
});

describe("cutting-plane master", () => {
  test("agrees with HiGHS on random instances", async () => {
    const solver = createSolver("highs");
    const rng = new Rng(8);
    for (let t = 0; t < 20; t++) {
      const m = 1 + rng.int(6);
      const n = 1 + rng.int(15);
      const a = Float64Array.from({ length: n }, () => rng.float() * 10 - 5);
      const G = Float64Array.from({ length: n * m }, () => rng.float() * 6 - 3);
      const lo = Float64Array.from({ length: m }, () => rng.float() * 2);
      const up = Float64Array.from(lo, (l) => l + rng.float() * 3);
      const ours = solveMaster(a, G, lo, up);
      const ref = await solver.solve(masterModel(a, G, lo, up));
      expect(ref.status).toBe("optimal");
      expect(ours.t).toBeCloseTo(ref.objective, 7);
      for (let j = 0; j < m; j++) {
        expect(ours.mu[j]).toBeGreaterThanOrEqual(lo[j] - 1e-12);
        expect(ours.mu[j]).toBeLessThanOrEqual(up[j] + 1e-12);
      }
    }
  });

  test("cuts with slopes of 1e5 (subgradients in contacts of a 20k campaign) still solve", async () => {
    // a tolerance relative to the whole tableau once read 1/|G| entries as zeros and stopped
    // at a point above the model's value at the centre
    const solver = createSolver("highs");
    const rng = new Rng(21);
    for (let t = 0; t < 20; t++) {
      const m = 7;
      const n = 3 + rng.int(6);
      const a = Float64Array.from({ length: n }, () => (rng.float() - 0.5) * 1e6);
      const G = Float64Array.from({ length: n * m }, () => (rng.float() - 0.5) * 2e5 * rng.float());
      const lo = new Float64Array(m);
      const up = Float64Array.from({ length: m }, () => 4 + 3 * rng.float());
      const ours = solveMaster(a, G, lo, up);
      const ref = await solver.solve(masterModel(a, G, lo, up));
      expect(ref.status).toBe("optimal");
      expect(Math.abs(ours.t - ref.objective)).toBeLessThan(
        1e-6 * Math.max(1, Math.abs(ref.objective)),
      );
    }
  });
});

/** min t s.t. t − G_i·μ ≥ a_i, lo ≤ μ ≤ up, for HiGHS */
function masterModel(a: Float64Array, G: Float64Array, lo: Float64Array, up: Float64Array) {
  const n = a.length;
  const m = lo.length;
  return buildModel({
    sense: "min",
    objective: [...new Array(m).fill(0), 1],
    lower: [...lo, -Infinity],
    upper: [...up, Infinity],
    rows: Array.from({ length: n }, (_, i) => ({
      name: `c${i}`,
      sense: "GE" as const,
      rhs: a[i],
      coefs: [
        ...Array.from({ length: m }, (_, j) => [j, -G[i * m + j]] as [number, number]),
        [m, 1] as [number, number],
      ],
    })),
  });
}
