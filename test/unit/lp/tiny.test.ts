// Hand-solved LPs: every expected x, objective and dual below was worked out on paper (the
// comments show how), so a sign flip or a lost bound in either backend fails here.

import { clusterModel } from "../../../bench/lp-models";
import { buildModel, closeJslpWorker, createSolver } from "../../../src/optimize/lp";
import type { LpModel, LpSolution, SolverName } from "../../../src/optimize/lp";

afterAll(closeJslpWorker);

const backends: SolverName[] = ["highs", "jslp"];

function expectVector(actual: Float64Array, expected: number[]) {
  expect(actual.length).toBe(expected.length);
  expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, 9));
}

describe.each(backends)("%s on hand-solved LPs", (name) => {
  const solver = createSolver(name);
  const solve = (m: LpModel): Promise<LpSolution> => solver.solve(m);

  it("max, LE rows (Wyndor): x=(2,6), z=36, duals (0, 1.5, 1)", async () => {
    // duals: x, y basic → 3 = 3·y3, 5 = 2·y2 + 2·y3 → y3 = 1, y2 = 1.5; row 1 has slack 2
    const r = await solve(
      buildModel({
        sense: "max",
        objective: [3, 5],
        rows: [
          { name: "plant1", sense: "LE", rhs: 4, coefs: [[0, 1]] },
          { name: "plant2", sense: "LE", rhs: 12, coefs: [[1, 2]] },
          {
            name: "plant3",
            sense: "LE",
            rhs: 18,
            coefs: [
              [0, 3],
              [1, 2],
            ],
          },
        ],
      }),
    );
    expect(r.status).toBe("optimal");
    expect(r.objective).toBeCloseTo(36, 9);
    expectVector(r.x, [2, 6]);
    expectVector(r.rowActivity, [2, 12, 18]);
    expectVector(r.rowDual, [0, 1.5, 1]);
  });

  it("min, GE rows: x=(3,1), z=9, duals (1.5, 0.5) >= 0", async () => {
    // 2 = y1 + y2, 3 = y1 + 3·y2 → y2 = 0.5, y1 = 1.5
    const r = await solve(
      buildModel({
        sense: "min",
        objective: [2, 3],
        rows: [
          {
            name: "a",
            sense: "GE",
            rhs: 4,
            coefs: [
              [0, 1],
              [1, 1],
            ],
          },
          {
            name: "b",
            sense: "GE",
            rhs: 6,
            coefs: [
              [0, 1],
              [1, 3],
            ],
          },
        ],
      }),
    );
    expect(r.status).toBe("optimal");
    expect(r.objective).toBeCloseTo(9, 9);
    expectVector(r.x, [3, 1]);
    expectVector(r.rowDual, [1.5, 0.5]);
  });

  it("max with GE rows: binding GE dual is <= 0", async () => {
    // max -x - 2y, x + y >= 3, y >= 1 (row) → x=2, y=1, z=-4; -1 = y1, -2 = y1 + y2 → y2 = -1
    const r = await solve(
      buildModel({
        sense: "max",
        objective: [-1, -2],
        rows: [
          {
            name: "need",
            sense: "GE",
            rhs: 3,
            coefs: [
              [0, 1],
              [1, 1],
            ],
          },
          { name: "ymin", sense: "GE", rhs: 1, coefs: [[1, 1]] },
        ],
      }),
    );
    expect(r.status).toBe("optimal");
    expect(r.objective).toBeCloseTo(-4, 9);
    expectVector(r.x, [2, 1]);
    expectVector(r.rowDual, [-1, -1]);
  });

  it("min with EQ and LE rows: duals (2, -1)", async () => {
    // min x + 2y, x + y = 3, x <= 2: x=2, y=1, z=4. rhs of EQ +1 → y=2 → z=5 (dual 2);
    // rhs of LE +1 → x=3, y=0 → z=3 (dual -1)
    const r = await solve(
      buildModel({
        sense: "min",
        objective: [1, 2],
        rows: [
          {
            name: "total",
            sense: "EQ",
            rhs: 3,
            coefs: [
              [0, 1],
              [1, 1],
            ],
          },
          { name: "xcap", sense: "LE", rhs: 2, coefs: [[0, 1]] },
        ],
      }),
    );
    expect(r.status).toBe("optimal");
    expect(r.objective).toBeCloseTo(4, 9);
    expectVector(r.x, [2, 1]);
    expectVector(r.rowDual, [2, -1]);
  });

  it("column bounds: upper-only column and boxed column", async () => {
    // max 2a + b, a + b <= 6, a in (-inf, 4], b in [1, 5] → a=4 (at bound), b=2 basic: dual 1
    const r = await solve(
      buildModel({
        sense: "max",
        objective: [2, 1],
        lower: [-Infinity, 1],
        upper: [4, 5],
        rows: [
          {
            name: "cap",
            sense: "LE",
            rhs: 6,
            coefs: [
              [0, 1],
              [1, 1],
            ],
          },
        ],
      }),
    );
    expect(r.status).toBe("optimal");
    expect(r.objective).toBeCloseTo(10, 9);
    expectVector(r.x, [4, 2]);
    expectVector(r.rowDual, [1]);
  });

  it("negative lower bound and free column", async () => {
    // min x + y, y - x >= 2, x >= -3, y free → x=-3, y=-1, z=-4; rhs +1 → y=0 → dual 1
    const r = await solve(
      buildModel({
        sense: "min",
        objective: [1, 1],
        lower: [-3, -Infinity],
        rows: [
          {
            name: "gap",
            sense: "GE",
            rhs: 2,
            coefs: [
              [0, -1],
              [1, 1],
            ],
          },
        ],
      }),
    );
    expect(r.status).toBe("optimal");
    expect(r.objective).toBeCloseTo(-4, 9);
    expectVector(r.x, [-3, -1]);
    expectVector(r.rowDual, [1]);
  });

  it("bound-only optimum: binding upper bound, non-binding row has dual 0", async () => {
    // max x + y, x + y <= 10, x <= 3, y <= 4 (column bounds) → z=7, row slack 3
    const r = await solve(
      buildModel({
        sense: "max",
        objective: [1, 1],
        upper: [3, 4],
        rows: [
          {
            name: "loose",
            sense: "LE",
            rhs: 10,
            coefs: [
              [0, 1],
              [1, 1],
            ],
          },
        ],
      }),
    );
    expect(r.status).toBe("optimal");
    expect(r.objective).toBeCloseTo(7, 9);
    expectVector(r.x, [3, 4]);
    expectVector(r.rowDual, [0]);
  });

  it("model without rows", async () => {
    const r = await solve(
      buildModel({ sense: "max", objective: [-1], lower: 1, upper: 3, rows: [] }),
    );
    expect(r.status).toBe("optimal");
    expect(r.objective).toBeCloseTo(-1, 9);
    expectVector(r.x, [1]);
    expect(r.rowDual.length).toBe(0);
  });

  it("infeasible rows", async () => {
    const r = await solve(
      buildModel({
        sense: "max",
        objective: [1, 1],
        rows: [
          {
            name: "atMost1",
            sense: "LE",
            rhs: 1,
            coefs: [
              [0, 1],
              [1, 1],
            ],
          },
          {
            name: "atLeast2",
            sense: "GE",
            rhs: 2,
            coefs: [
              [0, 1],
              [1, 1],
            ],
          },
        ],
      }),
    );
    expect(r.status).toBe("infeasible");
    expect(r.objective).toBeNaN();
  });

  it("infeasible: row with no entries that cannot hold, and crossed bounds", async () => {
    const emptyRow = buildModel({
      sense: "max",
      objective: [1],
      upper: 3,
      rows: [{ name: "z", sense: "GE", rhs: 1, coefs: [] }],
    });
    expect((await solve(emptyRow)).status).toBe("infeasible");
    const crossed = buildModel({ sense: "min", objective: [1], lower: 3, upper: 2, rows: [] });
    expect((await solve(crossed)).status).toBe("infeasible");
  });

  it("unbounded (max and min)", async () => {
    const up = buildModel({
      sense: "max",
      objective: [1, 1],
      rows: [
        {
          name: "diff",
          sense: "LE",
          rhs: 1,
          coefs: [
            [0, 1],
            [1, -1],
          ],
        },
      ],
    });
    expect((await solve(up)).status).toBe("unbounded");
    const down = buildModel({
      sense: "min",
      objective: [1, 0],
      lower: -Infinity,
      rows: [
        {
          name: "tie",
          sense: "EQ",
          rhs: 0,
          coefs: [
            [0, 1],
            [1, -1],
          ],
        },
      ],
    });
    expect((await solve(down)).status).toBe("unbounded");
  });

  it("rejects a malformed model", async () => {
    const m = buildModel({ sense: "max", objective: [1], rows: [] });
    await expect(solve({ ...m, colStart: Int32Array.from([0, 1]) })).rejects.toThrow(/invalid/);
  });
});

describe("jslp time limit", () => {
  it("stops a long solve, reports an error, and the next solve still works", async () => {
    const slow = createSolver("jslp", { timeLimitSeconds: 0.05 });
    const r = await slow.solve(clusterModel(200, 1));
    expect(r.status).toBe("error");
    expect(r.message).toMatch(/time limit/);
    const ok = await createSolver("jslp").solve(
      buildModel({
        sense: "max",
        objective: [1],
        rows: [{ name: "cap", sense: "LE", rhs: 2, coefs: [[0, 1]] }],
      }),
    );
    expect(ok.status).toBe("optimal");
    expect(ok.objective).toBe(2);
  });
});
