// HiGHS backend (WASM build of the `highs` npm package).
//
// The model goes in through the structured CSC interface (createModel(ModelData)), never through
// LP-format text: HiGHS's LP parser has a line-length limit that a 33,000-term objective exceeds,
// and text would cost a format/parse round trip for nothing.
//
// Dual signs: HiGHS's rowDual is already d objective / d row bound in the model's own sense
// (checked on Wyndor: max gives +1.5 / +1 on binding LE rows, the same LP as a min gives -1.5 /
// -1), which is exactly the LpSolution convention, so duals are passed through unchanged. The
// unit tests pin this with hand-computed duals and finite differences.

import highsLoader from "highs";
import type { Highs, ModelData } from "highs";
import { cleanZeros, emptySolution, nowSeconds, solveWithoutColumns, validateModel } from "./model";
import { OptimizeStoppedError } from "../stop";
import { SolverThread } from "./solver-thread";
import type { LpModel, LpSolution, LpSolver, SolveOptions } from "./types";

let runtime: Promise<Highs> | undefined;

/** Loads and instantiates the WASM module once per process; a failed load is retried next time. */
export function loadHighs(): Promise<Highs> {
  if (runtime === undefined) {
    runtime = highsLoader().catch((err: unknown) => {
      runtime = undefined;
      throw err;
    });
  }
  return runtime;
}

function toModelData(highs: Highs, model: LpModel, zeroObjective: boolean): ModelData {
  const m = model.rows.length;
  const rowLower = new Float64Array(m);
  const rowUpper = new Float64Array(m);
  model.rows.forEach((row, i) => {
    rowLower[i] = row.sense === "LE" ? -Infinity : row.rhs;
    rowUpper[i] = row.sense === "GE" ? Infinity : row.rhs;
  });
  const senses = highs.constants.objectiveSense;
  return {
    numCols: model.numCols,
    numRows: m,
    sense: model.sense === "max" ? senses.maximize : senses.minimize,
    colCost: zeroObjective ? new Float64Array(model.numCols) : model.objective,
    colLower: model.colLower,
    colUpper: model.colUpper,
    rowLower,
    rowUpper,
    matrix: {
      format: "csc",
      numRows: m,
      numCols: model.numCols,
      starts: model.colStart,
      indices: model.rowIndex,
      values: model.values,
    },
  };
}

interface Optimum {
  objective: number;
  x: Float64Array;
  rowActivity: Float64Array;
  rowDual: Float64Array;
  dualsValid: boolean;
}

/** Model status, plus the solution when it is optimal (HiGHS throws when asked for one otherwise). */
function run(highs: Highs, data: ModelData): { status: number; optimum?: Optimum } {
  const hm = highs.createModel(data);
  try {
    hm.options.set({ output_flag: false });
    const { modelStatus } = hm.run();
    if (modelStatus !== highs.constants.modelStatus.optimal) return { status: modelStatus };
    const sol = hm.getSolution();
    const dualStatus = hm.info.get("dual_solution_status");
    const optimum = {
      objective: hm.getObjectiveValue(),
      x: sol.colValue,
      rowActivity: sol.rowValue,
      rowDual: sol.rowDual,
      dualsValid: dualStatus === highs.constants.solutionStatus.feasible,
    };
    return { status: modelStatus, optimum };
  } finally {
    hm.dispose();
  }
}

/**
 * Columns from which a solve that may be stopped runs on its own thread: from about this size a
 * cluster LP takes ~0.1 s or more (bench/lp.ts), the cost of handing the model over is a few ms,
 * and below it a stop waits at most the solve. The thread gives the same solution (same module,
 * same model).
 */
export const THREAD_MIN_COLUMNS = 5_000;

// Plain JS evaluated on the thread (solver-thread.ts). It loads this very module: compiled
// JavaScript as is, TypeScript (tests, a stale build) through tsx.
const SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
if (workerData.file.endsWith(".ts")) require(workerData.tsx);
const { loadHighs, solveHighs } = require(workerData.file);
parentPort.on("message", async (model) => {
  try {
    parentPort.postMessage({ result: solveHighs(await loadHighs(), model) });
  } catch (err) {
    parentPort.postMessage({ error: String((err && err.stack) || err) });
  }
});
`;

let thread: SolverThread | undefined;

function solveOnThread(model: LpModel, shouldStop: () => boolean): Promise<LpSolution> {
  thread ??= new SolverThread("HiGHS", SOURCE, {
    file: __filename,
    tsx: require.resolve("tsx/cjs"),
  });
  return thread.run(model, {
    shouldStop,
    onStop: () => new OptimizeStoppedError(),
  }) as Promise<LpSolution>;
}

/** Stops the HiGHS thread (tests call this in afterAll; a new one starts on the next solve). */
export async function closeHighsThread(): Promise<void> {
  await thread?.close();
}

export class HighsSolver implements LpSolver {
  readonly name = "highs";

  async solve(model: LpModel, opts: SolveOptions = {}): Promise<LpSolution> {
    validateModel(model);
    if (model.numCols === 0) return solveWithoutColumns(model, 0);
    if (opts.shouldStop && model.numCols >= THREAD_MIN_COLUMNS)
      return solveOnThread(model, opts.shouldStop);
    return solveHighs(await loadHighs(), model);
  }
}

/** One solve on the calling thread: the whole of a solve, wherever it runs. */
export function solveHighs(highs: Highs, model: LpModel): LpSolution {
  const t0 = nowSeconds();
  const codes = highs.constants.modelStatus;
  const out = run(highs, toModelData(highs, model, false));
  const seconds = () => nowSeconds() - t0;

  const opt = out.optimum;
  if (opt) {
    return {
      status: "optimal",
      objective: opt.objective + 0,
      x: cleanZeros(opt.x),
      rowActivity: cleanZeros(opt.rowActivity),
      rowDual: cleanZeros(opt.rowDual),
      message: opt.dualsValid ? undefined : "HiGHS reports no valid dual solution",
      seconds: seconds(),
    };
  }
  if (out.status === codes.infeasible) {
    return emptySolution(model, "infeasible", seconds(), "HiGHS: infeasible");
  }
  if (out.status === codes.unbounded) {
    return emptySolution(model, "unbounded", seconds(), "HiGHS: unbounded");
  }
  if (out.status === codes.unboundedOrInfeasible) {
    // Presolve can prove "no optimum" without saying which; the same constraints with a zero
    // objective are feasible exactly when the original is unbounded.
    const probe = run(highs, toModelData(highs, model, true));
    return probe.optimum
      ? emptySolution(model, "unbounded", seconds(), "HiGHS: unbounded")
      : emptySolution(model, "infeasible", seconds(), "HiGHS: infeasible");
  }
  return emptySolution(model, "error", seconds(), `HiGHS model status ${out.status}`);
}
