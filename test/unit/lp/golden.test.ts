// Golden LPs with published/hand-verified optima (fixtures/*.json). Duals are pinned only where
// they are unique; every optimal fixture is also checked for dual feasibility and strong duality,
// which also covers the degenerate ones.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { buildModel, checkDuals, closeJslpWorker, createSolver } from "../../../src/optimize/lp";
import type { SolverName } from "../../../src/optimize/lp";

afterAll(closeJslpWorker);

const Fixture = z.object({
  name: z.string(),
  source: z.string(),
  sense: z.enum(["max", "min"]),
  colNames: z.array(z.string()).optional(),
  objective: z.array(z.number()),
  rows: z.array(
    z.object({
      name: z.string(),
      sense: z.enum(["LE", "GE", "EQ"]),
      rhs: z.number(),
      coefs: z.array(z.tuple([z.number(), z.number()])),
    }),
  ),
  expected: z.object({
    status: z.enum(["optimal", "infeasible", "unbounded"]),
    objective: z.number().optional(),
    x: z.array(z.number()).optional(),
    rowDual: z.array(z.number()).optional(),
  }),
});

const dir = join(__dirname, "fixtures");
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => [f, Fixture.parse(JSON.parse(readFileSync(join(dir, f), "utf8")))] as const);

const backends: SolverName[] = ["highs", "jslp"];

test("fixtures are present", () => {
  expect(fixtures.length).toBeGreaterThanOrEqual(8);
});

describe.each(backends)("%s on golden LPs", (name) => {
  const solver = createSolver(name);

  it.each(fixtures)("%s", async (_file, fx) => {
    const model = buildModel(fx);
    const r = await solver.solve(model);
    expect(r.status).toBe(fx.expected.status);
    if (r.status !== "optimal") return;
    const scale = Math.max(1, Math.abs(r.objective));
    expect(Math.abs(r.objective - (fx.expected.objective ?? NaN))).toBeLessThan(1e-9 * scale);
    fx.expected.x?.forEach((v, j) => expect(r.x[j]).toBeCloseTo(v, 7));
    fx.expected.rowDual?.forEach((v, i) => expect(r.rowDual[i]).toBeCloseTo(v, 7));
    const check = checkDuals(model, r.rowDual);
    expect(Math.abs(check.dualObjective - r.objective)).toBeLessThan(1e-7 * scale);
    expect(check.maxSignViolation).toBeLessThan(1e-9);
    expect(check.maxReducedCostViolation).toBeLessThan(1e-9);
  });
});
