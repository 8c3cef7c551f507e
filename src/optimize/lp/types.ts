// The one small interface every LP backend implements (shape borrowed from good_lp's
// Solver / Solution / SolutionWithDual trio). Models are column-oriented typed arrays so that a
// 33,000-column cluster LP never goes through a text format.

export type RowSense = "LE" | "GE" | "EQ";

export interface LpRow {
  /** stable name reported back to users, e.g. "budget", "capacity:branch" */
  name: string;
  sense: RowSense;
  rhs: number;
}

export interface LpModel {
  sense: "max" | "min";
  /** number of columns (variables) */
  numCols: number;
  /** objective coefficient per column */
  objective: Float64Array;
  /** lower/upper bound per column; upper may be Infinity */
  colLower: Float64Array;
  colUpper: Float64Array;
  /** optional column names (debugging, LP-format export) */
  colNames?: string[];
  rows: LpRow[];
  /** compressed sparse column matrix: column j's entries are [colStart[j], colStart[j+1]) */
  colStart: Int32Array;
  rowIndex: Int32Array;
  values: Float64Array;
}

export type LpStatus = "optimal" | "infeasible" | "unbounded" | "error";

export interface LpSolution {
  status: LpStatus;
  objective: number;
  /** primal value per column */
  x: Float64Array;
  /** row activity (A x) per row */
  rowActivity: Float64Array;
  /**
   * Dual value per row: d objective / d rhs, in the model's own sense (for a max problem a
   * binding LE row has dual >= 0). Every backend must fill this.
   */
  rowDual: Float64Array;
  /** solver's message when status is not optimal */
  message?: string;
  /** wall-clock seconds inside the backend */
  seconds: number;
}

export interface SolveOptions {
  /**
   * Asked while the solve runs; true ends it with OptimizeStoppedError (src/optimize/stop.ts)
   * and no solution. A backend that cannot stop part-way may ignore it: the caller polls again
   * after the solve. Whether it is given never changes the solution.
   */
  shouldStop?: () => boolean;
}

export interface LpSolver {
  readonly name: string;
  solve(model: LpModel, opts?: SolveOptions): Promise<LpSolution>;
}
