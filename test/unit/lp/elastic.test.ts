// Elastic infeasibility diagnosis on models whose minimum relaxation is known by hand.

import {
  applyRelaxations,
  buildModel,
  closeJslpWorker,
  createSolver,
  describeRelaxation,
  diagnoseInfeasibility,
} from "../../../src/optimize/lp";
import type { LpModel, SolverName } from "../../../src/optimize/lp";

afterAll(closeJslpWorker);

/**
 * Two offers costing 10 and 20 per unit, budget 100, minimums of 8 and 3 units: meeting both
 * minimums costs 80 + 60 = 140, so the model is infeasible by 40 of budget.
 */
function offerModel(budget = 100): LpModel {
  return buildModel({
    sense: "max",
    objective: [5, 7],
    rows: [
      {
        name: "budget",
        sense: "LE",
        rhs: budget,
        coefs: [
          [0, 10],
          [1, 20],
        ],
      },
      { name: "min:a", sense: "GE", rhs: 8, coefs: [[0, 1]] },
      { name: "min:b", sense: "GE", rhs: 3, coefs: [[1, 1]] },
    ],
  });
}

describe.each<SolverName>(["highs", "jslp"])("elastic diagnosis with %s", (name) => {
  const solver = createSolver(name);

  it("budget alone: must rise by exactly 40", async () => {
    const model = offerModel();
    expect((await solver.solve(model)).status).toBe("infeasible");
    const d = await diagnoseInfeasibility(model, [0], solver);
    expect(d.status).toBe("relaxed");
    expect(d.relaxations).toHaveLength(1);
    expect(d.relaxations[0].change).toBeCloseTo(40, 9);
    expect(d.relaxations[0].newRhs).toBeCloseTo(140, 9);
    expect(d.totalViolation).toBeCloseTo(40, 9);
    expect(describeRelaxation(d.relaxations[0])).toBe("row budget must rise by 40");
    const fixed = await solver.solve(applyRelaxations(model, d.relaxations));
    expect(fixed.status).toBe("optimal");
  });

  it("minimums only, unit weights: lowering min:b by 2 beats lowering min:a by 4", async () => {
    const d = await diagnoseInfeasibility(offerModel(), [1, 2], solver);
    expect(d.status).toBe("relaxed");
    expect(d.relaxations.map((r) => r.change)).toEqual([0, expect.closeTo(-2, 9)]);
    expect(describeRelaxation(d.relaxations[0])).toBeUndefined();
    expect(describeRelaxation(d.relaxations[1])).toBe("row min:b must fall by 2");
  });

  it("weights change the answer: min:b 10x dearer → lower min:a by 4", async () => {
    const d = await diagnoseInfeasibility(offerModel(), [1, { row: 2, weight: 10 }], solver);
    expect(d.relaxations.map((r) => r.change)).toEqual([expect.closeTo(-4, 9), 0]);
    expect(d.totalViolation).toBeCloseTo(4, 9);
  });

  it("all rows relaxable: weights put rows in different units on one scale", async () => {
    // violation cost: budget 40 × 0.01 = 0.4, min:a 4 × 1 = 4, min:b 2 × 1 = 2 → budget
    const rows = [{ row: 0, weight: 0.01 }, 1, 2];
    const d = await diagnoseInfeasibility(offerModel(), rows, solver);
    expect(d.relaxations.map((r) => r.change)).toEqual([expect.closeTo(40, 9), 0, 0]);
    expect(d.totalViolation).toBeCloseTo(0.4, 9);
  });

  it("EQ row: signed change in either direction", async () => {
    // x + y = 10 with x <= 3, y <= 4 (bounds): the EQ rhs must fall by 3
    const model = buildModel({
      sense: "min",
      objective: [1, 1],
      upper: [3, 4],
      rows: [
        {
          name: "total",
          sense: "EQ",
          rhs: 10,
          coefs: [
            [0, 1],
            [1, 1],
          ],
        },
      ],
    });
    const down = await diagnoseInfeasibility(model, [0], solver);
    expect(down.relaxations[0].change).toBeCloseTo(-3, 9);
    const upModel = { ...model, rows: [{ ...model.rows[0], rhs: -2 }] };
    const up = await diagnoseInfeasibility(upModel, [0], solver);
    expect(up.relaxations[0].change).toBeCloseTo(2, 9);
    expect(describeRelaxation(up.relaxations[0])).toBe("row total must rise by 2");
  });

  it("feasible model: all zeros", async () => {
    const d = await diagnoseInfeasibility(offerModel(200), [0, 1, 2], solver);
    expect(d.status).toBe("feasible");
    expect(d.totalViolation).toBe(0);
    expect(d.relaxations.map((r) => r.change)).toEqual([0, 0, 0]);
  });

  it("conflict outside the relaxable rows is reported as infeasible", async () => {
    const model = buildModel({
      sense: "max",
      objective: [1],
      upper: [5],
      rows: [
        { name: "need", sense: "GE", rhs: 8, coefs: [[0, 1]] },
        { name: "loose", sense: "LE", rhs: 100, coefs: [[0, 1]] },
      ],
    });
    const d = await diagnoseInfeasibility(model, [1], solver);
    expect(d.status).toBe("infeasible");
  });
});

describe("elastic input checks", () => {
  it("rejects bad rows and weights", async () => {
    const m = offerModel();
    await expect(diagnoseInfeasibility(m, [7])).rejects.toThrow(/out of range/);
    await expect(diagnoseInfeasibility(m, [{ row: 0, weight: 0 }])).rejects.toThrow(/weight/);
    await expect(diagnoseInfeasibility(m, [0, 0])).rejects.toThrow(/twice/);
  });

  it("formats large amounts with grouping", () => {
    const r = {
      row: 0,
      name: "budget",
      sense: "LE" as const,
      rhs: 1,
      change: 12000,
      newRhs: 12001,
    };
    expect(describeRelaxation(r)).toBe("row budget must rise by 12,000");
  });
});
