// javascript-lp-solver backend: pure JS, no WASM, fine for small LPs, far too slow for the
// 33,000-column cluster LP (see bench/lp.ts). Solves run in a worker thread (jslp-worker.ts)
// under a time limit, because jslp can loop forever on some degenerate LPs.
//
// Duals: jslp reports neither duals nor a basis, so they come from a second LP, the dual of the
// model (dual.ts), solved by jslp itself and restricted by complementary slackness at jslp's
// primal optimum. Why this and not "solve yᵀA_B = c_B on the binding rows": jslp exposes no
// basis, so the basic set would have to be guessed from x with tolerances, and on degenerate
// optima (common in the cluster LP: a cluster at x_j = 1 has both its row and the column bound
// binding) that system is singular or its solution violates dual feasibility, i.e. an LP is
// needed anyway. The restricted dual needs no basis, any feasible point of it is an optimal dual,
// and the result is checked against the primal objective (strong duality, check.ts). If that
// check fails (a misclassified "non-binding" row), the full dual is solved instead.
//
// The package ships its own types (so there is no ambient declaration in src/types); its Solve()
// is declared to return `unknown`, and jslp-model.ts narrows the result at runtime.

import { checkDuals } from "./check";
import { buildDual, restrictionAt, rowDualsFrom } from "./dual";
import { fromJslp, toJslp } from "./jslp-model";
import type { PrimalOutcome } from "./jslp-model";
import { JslpTimeLimitError, runJslp } from "./jslp-worker";
import {
  emptySolution,
  nowSeconds,
  objectiveValue,
  rowActivity,
  solveWithoutColumns,
  validateModel,
} from "./model";
import type { LpModel, LpSolution, LpSolver } from "./types";

export interface JslpOptions {
  /** wall-clock limit for one solve() call, primal and dual LPs together; default 60 s */
  timeLimitSeconds?: number;
}

async function solvePrimal(model: LpModel, deadline: number): Promise<PrimalOutcome> {
  const conv = toJslp(model);
  if ("emptyRowViolated" in conv) {
    const message = `jslp: row ${conv.emptyRowViolated} has no entries and cannot hold`;
    return { status: "infeasible", x: new Float64Array(model.numCols), message };
  }
  try {
    const raw = await runJslp(conv.jslpModel, (deadline - nowSeconds()) * 1000);
    return fromJslp(raw, conv, model.numCols);
  } catch (err) {
    if (!(err instanceof JslpTimeLimitError)) throw err;
    return { status: "error", x: new Float64Array(model.numCols), message: err.message };
  }
}

function dualsAcceptable(model: LpModel, rowDual: Float64Array, objective: number): boolean {
  const c = checkDuals(model, rowDual);
  // reduced costs and duals are in objective-per-unit terms, the gap in objective terms
  const perUnit = model.objective.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
  return (
    Math.abs(c.dualObjective - objective) <= 1e-7 * Math.max(1, Math.abs(objective)) &&
    c.maxSignViolation <= 1e-7 * perUnit &&
    c.maxReducedCostViolation <= 1e-7 * perUnit
  );
}

async function deriveDuals(
  model: LpModel,
  x: Float64Array,
  objective: number,
  deadline: number,
): Promise<{ rowDual: Float64Array; message?: string }> {
  const restricted = () => buildDual(model, restrictionAt(model, x, rowActivity(model, x)));
  const notes: string[] = [];
  for (const make of [restricted, () => buildDual(model)]) {
    const dual = make();
    const out = await solvePrimal(dual.model, deadline);
    if (out.status === "optimal") {
      const rowDual = rowDualsFrom(dual, out.x);
      if (dualsAcceptable(model, rowDual, objective)) return { rowDual };
      notes.push("dual LP optimum does not certify the primal one");
    } else notes.push(out.message ?? out.status);
  }
  const rowDual = new Float64Array(model.rows.length).fill(NaN);
  return { rowDual, message: `jslp: duals unavailable (${notes.join("; ")})` };
}

export class JslpSolver implements LpSolver {
  readonly name = "jslp";
  private readonly timeLimitSeconds: number;

  constructor(options: JslpOptions = {}) {
    this.timeLimitSeconds = options.timeLimitSeconds ?? 60;
  }

  async solve(model: LpModel): Promise<LpSolution> {
    validateModel(model);
    if (model.numCols === 0) return solveWithoutColumns(model, 0);
    const t0 = nowSeconds();
    const deadline = t0 + this.timeLimitSeconds;
    const primal = await solvePrimal(model, deadline);
    if (primal.status !== "optimal") {
      return emptySolution(model, primal.status, nowSeconds() - t0, primal.message ?? "");
    }
    const objective = objectiveValue(model, primal.x) + 0;
    const { rowDual, message } = await deriveDuals(model, primal.x, objective, deadline);
    return {
      status: "optimal",
      objective,
      x: primal.x,
      rowActivity: rowActivity(model, primal.x),
      rowDual,
      message,
      seconds: nowSeconds() - t0,
    };
  }
}
