// Duals as derivatives: perturb one rhs, re-solve, compare Δobjective/ε with the reported dual.
// On planted (non-degenerate) LPs the objective is linear in b near the optimum, so the two must
// agree closely. On the cluster LP, which may be degenerate, only the one-sided inequalities that
// every optimal dual satisfies are asserted: the optimum is concave in b for a max problem, so
// (f(b) − f(b−ε))/ε >= y >= (f(b+ε) − f(b))/ε.

import { clusterModel } from "../../../bench/lp-models";
import { closeJslpWorker, createSolver } from "../../../src/optimize/lp";
import type { LpModel, LpSolver, SolverName } from "../../../src/optimize/lp";
import { plantedLp } from "./gen";

afterAll(closeJslpWorker);

function withRhs(model: LpModel, row: number, rhs: number): LpModel {
  const rows = model.rows.map((r, i) => (i === row ? { ...r, rhs } : r));
  return { ...model, rows };
}

async function objectiveAt(solver: LpSolver, model: LpModel, row: number, rhs: number) {
  const r = await solver.solve(withRhs(model, row, rhs));
  expect(r.status).toBe("optimal");
  return r.objective;
}

describe.each<SolverName>(["highs", "jslp"])("%s duals match finite differences", (name) => {
  const solver = createSolver(name);

  it.each([1, 2, 3, 4, 5, 6, 7, 8])("planted LP seed %i, every row", async (seed) => {
    const { model } = plantedLp(seed);
    const base = await solver.solve(model);
    expect(base.status).toBe("optimal");
    // jslp rounds x to 1e-9, so ε must be large enough for that noise to vanish in Δf/ε; the
    // planted basic values sit well inside their bounds, so the basis survives this step
    const eps = 1e-2;
    for (let i = 0; i < model.rows.length; i++) {
      const b = model.rows[i].rhs;
      const up = await objectiveAt(solver, model, i, b + eps);
      const down = await objectiveAt(solver, model, i, b - eps);
      const central = (up - down) / (2 * eps);
      expect(Math.abs(central - base.rowDual[i])).toBeLessThan(
        1e-5 * Math.max(1, Math.abs(central)),
      );
    }
  });
});

describe("highs duals on a 50-cluster LP bracket the finite differences", () => {
  const solver = createSolver("highs");
  const model = clusterModel(50, 3);

  it("budget, capacities and offer minimums", async () => {
    const base = await solver.solve(model);
    expect(base.status).toBe("optimal");
    const named = model.rows
      .map((r, i) => [r.name, i] as const)
      .filter(([n]) => !n.startsWith("cluster:"));
    let binding = 0;
    for (const [, i] of named) {
      const b = model.rows[i].rhs;
      const eps = 1e-3 * Math.abs(b);
      const right = ((await objectiveAt(solver, model, i, b + eps)) - base.objective) / eps;
      const left = (base.objective - (await objectiveAt(solver, model, i, b - eps))) / eps;
      const tol = 1e-6 * Math.max(1, Math.abs(base.rowDual[i]), Math.abs(left));
      expect(left).toBeGreaterThanOrEqual(base.rowDual[i] - tol);
      expect(right).toBeLessThanOrEqual(base.rowDual[i] + tol);
      if (base.rowDual[i] !== 0) binding++;
    }
    // the generated data is meant to make several of these rows bind
    expect(binding).toBeGreaterThanOrEqual(3);
    const budget = model.rows.findIndex((r) => r.name === "budget");
    expect(base.rowDual[budget]).toBeGreaterThan(0);
  });
});
