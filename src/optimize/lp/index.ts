// Entry point for LP solving: pick a backend, solve, read duals. Everything a caller needs is
// re-exported here; the backend modules stay swappable behind LpSolver.

import { HighsSolver } from "./highs";
import { JslpSolver } from "./jslp";
import type { JslpOptions } from "./jslp";
import type { LpSolver } from "./types";

export type SolverName = "highs" | "jslp";

/**
 * HiGHS is every caller's backend, by measurement (bench/lp.ts, cluster LPs, this machine): warm
 * HiGHS solves take ~0.01 s at 50 clusters (1,650 columns), ~0.06 s at 200 and ~0.8–1.2 s at 1,000
 * (33,000 columns); jslp takes ~1 s at 50, ~1.5 s at 200, ~12 s at 400 and ~127 s at 1,000
 * including its dual LP (another 1,000-cluster instance did not finish in 15 minutes). There is no
 * size at which jslp wins, so there is no size threshold.
 * jslp stays available through createSolver("jslp") as an independent cross-check and a pure-JS
 * fallback should the WASM module fail to load.
 */
export function createSolver(name: SolverName, options: JslpOptions = {}): LpSolver {
  switch (name) {
    case "highs":
      return new HighsSolver();
    case "jslp":
      return new JslpSolver(options);
  }
}

export type {
  LpModel,
  LpRow,
  LpSolution,
  LpSolver,
  LpStatus,
  RowSense,
  SolveOptions,
} from "./types";
export { buildModel } from "./build";
export { closeHighsThread } from "./highs";
export type { ModelSpec, RowSpec } from "./build";
export { checkDuals } from "./check";
export type { DualCheck } from "./check";
export { applyRelaxations, describeRelaxation, diagnoseInfeasibility } from "./elastic";
export type { ElasticResult, RelaxableRow, RowRelaxation } from "./elastic";
export { objectiveValue, rowActivity, validateModel } from "./model";
export { closeJslpWorker } from "./jslp-worker";
export type { JslpOptions } from "./jslp";
