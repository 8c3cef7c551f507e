// HiGHS vs jslp on seeded random LPs. Objectives must agree; duals are compared through the
// properties any optimal dual has (sign, dual feasibility, strong duality), because on degenerate
// LPs the two backends may legitimately return different optimal duals. On planted LPs, which are
// non-degenerate by construction, x and duals are unique and compared directly.

import { checkDuals, closeJslpWorker, createSolver, rowActivity } from "../../../src/optimize/lp";
import type { LpModel, LpSolution } from "../../../src/optimize/lp";
import { clusterModel } from "../../../bench/lp-models";
import { plantedLp, randomLp } from "./gen";

afterAll(closeJslpWorker);

const highs = createSolver("highs");
const jslp = createSolver("jslp");
const SEEDS = Array.from({ length: 50 }, (_, i) => i + 1);

function expectPrimalFeasible(model: LpModel, sol: LpSolution) {
  const act = rowActivity(model, sol.x);
  model.rows.forEach((row, i) => {
    const tol = 1e-7 * Math.max(1, Math.abs(row.rhs));
    if (row.sense !== "GE") expect(act[i]).toBeLessThanOrEqual(row.rhs + tol);
    if (row.sense !== "LE") expect(act[i]).toBeGreaterThanOrEqual(row.rhs - tol);
    expect(Math.abs(act[i] - sol.rowActivity[i])).toBeLessThan(tol);
  });
  for (let j = 0; j < model.numCols; j++) {
    expect(sol.x[j]).toBeGreaterThanOrEqual(model.colLower[j] - 1e-9);
    expect(sol.x[j]).toBeLessThanOrEqual(model.colUpper[j] + 1e-9);
  }
}

function expectOptimalDuals(model: LpModel, sol: LpSolution) {
  const c = checkDuals(model, sol.rowDual);
  const scale = Math.max(1, Math.abs(sol.objective));
  expect(Math.abs(c.dualObjective - sol.objective)).toBeLessThan(1e-7 * scale);
  expect(c.maxSignViolation).toBeLessThan(1e-7);
  expect(c.maxReducedCostViolation).toBeLessThan(1e-7);
}

describe("random feasible LPs", () => {
  it.each(SEEDS)("seed %i: same optimum, both duals certify it", async (seed) => {
    const model = randomLp(seed);
    const [h, j] = [await highs.solve(model), await jslp.solve(model)];
    expect(h.status).toBe("optimal");
    expect(j.status).toBe("optimal");
    const scale = Math.max(1, Math.abs(h.objective));
    expect(Math.abs(h.objective - j.objective)).toBeLessThan(1e-6 * scale);
    for (const sol of [h, j]) {
      expectPrimalFeasible(model, sol);
      expectOptimalDuals(model, sol);
    }
  });

  it("the data includes LPs with a non-unique dual (a binding row and its scaled copy)", async () => {
    let degenerate = 0;
    for (const seed of SEEDS) {
      const model = randomLp(seed);
      const copy = model.rows.findIndex((r) => r.name.endsWith(":copy"));
      if (copy < 0) continue;
      const h = await highs.solve(model);
      const tol = 1e-7 * Math.max(1, Math.abs(model.rows[copy].rhs));
      if (Math.abs(h.rowActivity[copy] - model.rows[copy].rhs) < tol) degenerate++;
    }
    // a property of the test data, not of the solvers: the property checks above must matter
    expect(degenerate).toBeGreaterThanOrEqual(3);
  });
});

describe("planted non-degenerate LPs", () => {
  it.each(SEEDS.slice(0, 25))(
    "seed %i: x, objective and duals equal the planted ones",
    async (seed) => {
      const p = plantedLp(seed);
      for (const sol of [await highs.solve(p.model), await jslp.solve(p.model)]) {
        expect(sol.status).toBe("optimal");
        const scale = Math.max(1, Math.abs(p.objective));
        expect(Math.abs(sol.objective - p.objective)).toBeLessThan(1e-7 * scale);
        p.x.forEach((v, j) => expect(Math.abs(sol.x[j] - v)).toBeLessThan(1e-6));
        p.rowDual.forEach((v, i) => expect(Math.abs(sol.rowDual[i] - v)).toBeLessThan(1e-6));
      }
    },
  );
});

describe("cluster-shaped LP (jslp drops the implied x <= 1 bound rows)", () => {
  it("30 clusters: same optimum and same budget/capacity/minimum duals", async () => {
    const model = clusterModel(30, 5);
    const [h, j] = [await highs.solve(model), await jslp.solve(model)];
    expect(j.status).toBe("optimal");
    expect(Math.abs(h.objective - j.objective)).toBeLessThan(1e-8 * Math.abs(h.objective));
    expectPrimalFeasible(model, j);
    expectOptimalDuals(model, j);
    model.rows.forEach((row, i) => {
      // cluster-row duals are not unique when a whole cluster takes one option (row and x <= 1
      // bound both bind); the others are, on this instance
      if (row.name.startsWith("cluster:")) return;
      expect(Math.abs(h.rowDual[i] - j.rowDual[i])).toBeLessThan(
        1e-6 * Math.max(1, Math.abs(h.rowDual[i])),
      );
    });
  });
});
