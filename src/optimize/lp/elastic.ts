// Infeasibility diagnosis by elastic programming: each relaxable row gets non-negative violation
// columns, the original objective is dropped, and the weighted total violation is minimised. The
// answer is, per relaxable row, how far its right-hand side must move for the model to become
// feasible ("row budget must rise by 12,000"). On a feasible model every relaxation is 0.
//
// Violation columns, with the row's own rhs b:
//   LE  a·x − s <= b   → b must rise by s
//   GE  a·x + s >= b   → b must fall by s
//   EQ  a·x − s⁺ + s⁻ = b → b must move by s⁺ − s⁻
// Weights are per unit of the row's rhs, so rows in different units (money vs contacts) should
// get weights that make one unit of each comparable; weight 1/|rhs| asks for the smallest
// relative relaxation.

import { HighsSolver } from "./highs";
import type { LpModel, LpSolver, RowSense } from "./types";

export interface RelaxableRow {
  row: number;
  /** cost per unit of violation, > 0; default 1 */
  weight?: number;
}

export interface RowRelaxation {
  row: number;
  name: string;
  sense: RowSense;
  rhs: number;
  /** signed change of rhs needed: > 0 must rise, < 0 must fall, 0 untouched */
  change: number;
  newRhs: number;
}

export interface ElasticResult {
  /**
   * feasible: no relaxation needed; relaxed: feasible after the listed changes; infeasible: no
   * change of the relaxable rows alone makes the model feasible (the conflict lies elsewhere)
   */
  status: "feasible" | "relaxed" | "infeasible" | "error";
  /** weighted total violation at the optimum */
  totalViolation: number;
  /** one entry per relaxable row, in the order given */
  relaxations: RowRelaxation[];
  /** a point of the original columns that is feasible once the relaxations are applied */
  x: Float64Array;
  message?: string;
}

interface SlackCol {
  row: number;
  coef: 1 | -1;
  weight: number;
}

export function buildElastic(model: LpModel, relaxable: ReadonlyArray<number | RelaxableRow>) {
  const slacks: SlackCol[] = [];
  const seen = new Set<number>();
  for (const item of relaxable) {
    const { row, weight = 1 } = typeof item === "number" ? { row: item } : item;
    if (!Number.isInteger(row) || row < 0 || row >= model.rows.length) {
      throw new Error(`relaxable row ${row} out of range`);
    }
    if (!(weight > 0) || !Number.isFinite(weight)) {
      throw new Error(`relaxable row ${row}: weight must be finite and > 0`);
    }
    if (seen.has(row)) throw new Error(`relaxable row ${row} listed twice`);
    seen.add(row);
    const sense = model.rows[row].sense;
    if (sense !== "GE") slacks.push({ row, coef: -1, weight });
    if (sense !== "LE") slacks.push({ row, coef: 1, weight });
  }
  const n = model.numCols;
  const nnz = model.colStart[n];
  const objective = new Float64Array(n + slacks.length);
  const colStart = new Int32Array(n + slacks.length + 1);
  colStart.set(model.colStart);
  const rowIndex = new Int32Array(nnz + slacks.length);
  rowIndex.set(model.rowIndex);
  const values = new Float64Array(nnz + slacks.length);
  values.set(model.values);
  slacks.forEach((s, t) => {
    objective[n + t] = s.weight;
    rowIndex[nnz + t] = s.row;
    values[nnz + t] = s.coef;
    colStart[n + t + 1] = nnz + t + 1;
  });
  const colLower = new Float64Array(n + slacks.length);
  colLower.set(model.colLower);
  const colUpper = new Float64Array(n + slacks.length).fill(Infinity);
  colUpper.set(model.colUpper);
  const elastic: LpModel = {
    sense: "min",
    numCols: n + slacks.length,
    objective,
    colLower,
    colUpper,
    rows: model.rows,
    colStart,
    rowIndex,
    values,
  };
  return { elastic, slacks };
}

export async function diagnoseInfeasibility(
  model: LpModel,
  relaxable: ReadonlyArray<number | RelaxableRow>,
  solver: LpSolver = new HighsSolver(),
): Promise<ElasticResult> {
  const { elastic, slacks } = buildElastic(model, relaxable);
  const sol = await solver.solve(elastic);
  const order = relaxable.map((item) => (typeof item === "number" ? item : item.row));
  const change = new Map<number, number>(order.map((r) => [r, 0]));
  if (sol.status !== "optimal") {
    return {
      // minimising a non-negative sum cannot be unbounded, so anything else is a solver problem
      status: sol.status === "infeasible" ? "infeasible" : "error",
      totalViolation: NaN,
      relaxations: [],
      x: new Float64Array(model.numCols),
      message: sol.message,
    };
  }
  slacks.forEach((s, t) => {
    // LE slack (coef −1) raises the rhs, GE slack (coef +1) lowers it
    const v = sol.x[model.numCols + t];
    change.set(s.row, (change.get(s.row) ?? 0) - s.coef * v);
  });
  const scaleTol = (b: number) => 1e-9 * Math.max(1, Math.abs(b));
  const relaxations = order.map((row) => {
    const { name, sense, rhs } = model.rows[row];
    const raw = change.get(row) ?? 0;
    const delta = Math.abs(raw) <= scaleTol(rhs) ? 0 : raw;
    return { row, name, sense, rhs, change: delta, newRhs: rhs + delta };
  });
  const anyChange = relaxations.some((r) => r.change !== 0);
  return {
    status: anyChange ? "relaxed" : "feasible",
    totalViolation: anyChange ? sol.objective : 0,
    relaxations,
    x: sol.x.slice(0, model.numCols),
  };
}

/** "row budget must rise by 12,000" (or undefined when the row needs no change). */
export function describeRelaxation(r: RowRelaxation, locale = "en-US"): string | undefined {
  if (r.change === 0) return undefined;
  const amount = Math.abs(r.change).toLocaleString(locale, { maximumFractionDigits: 6 });
  return `row ${r.name} must ${r.change > 0 ? "rise" : "fall"} by ${amount}`;
}

/** The model with the relaxations applied to its rhs (for re-solving after diagnosis). */
export function applyRelaxations(model: LpModel, relaxations: readonly RowRelaxation[]): LpModel {
  const rows = model.rows.map((r) => ({ ...r }));
  for (const r of relaxations) rows[r.row].rhs = r.newRhs;
  return { ...model, rows };
}
