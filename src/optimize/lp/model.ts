// Backend-independent helpers on LpModel: validation, A·x, c·x, transpose, and the empty
// solution returned when there is no optimum. Backends report what they compute themselves
// (objective, activities) from these, so both agree on what "objective" means.

import type { LpModel, LpSolution, LpStatus } from "./types";

/** Throws on a structurally broken model; solvers would otherwise fail far from the cause. */
export function validateModel(model: LpModel): void {
  const n = model.numCols;
  const m = model.rows.length;
  const fail = (what: string): never => {
    throw new Error(`invalid LpModel: ${what}`);
  };
  if (!Number.isInteger(n) || n < 0) fail(`numCols ${n}`);
  if (model.objective.length !== n) fail(`objective has ${model.objective.length} entries`);
  if (model.colLower.length !== n || model.colUpper.length !== n) fail("bound arrays length");
  if (model.colNames !== undefined && model.colNames.length !== n) fail("colNames length");
  if (model.colStart.length !== n + 1 || model.colStart[0] !== 0) fail("colStart");
  const nnz = model.colStart[n];
  if (model.rowIndex.length !== nnz || model.values.length !== nnz) fail("rowIndex/values length");
  for (let j = 0; j < n; j++) {
    if (!Number.isFinite(model.objective[j])) fail(`objective[${j}] not finite`);
    if (Number.isNaN(model.colLower[j]) || Number.isNaN(model.colUpper[j])) fail(`bound ${j}`);
    if (model.colLower[j] === Infinity || model.colUpper[j] === -Infinity) fail(`bound ${j}`);
    const start = model.colStart[j];
    const end = model.colStart[j + 1];
    if (end < start) fail(`colStart not monotone at ${j}`);
    for (let k = start; k < end; k++) {
      const i = model.rowIndex[k];
      if (i < 0 || i >= m) fail(`row index ${i} in column ${j}`);
      if (k > start && i <= model.rowIndex[k - 1]) fail(`rows not strictly increasing in col ${j}`);
      if (!Number.isFinite(model.values[k])) fail(`value ${k} not finite`);
    }
  }
  for (const row of model.rows) {
    if (!Number.isFinite(row.rhs)) fail(`rhs of row ${row.name}`);
  }
}

export function rowActivity(model: LpModel, x: Float64Array): Float64Array {
  const act = new Float64Array(model.rows.length);
  for (let j = 0; j < model.numCols; j++) {
    const xj = x[j];
    if (xj === 0) continue;
    for (let k = model.colStart[j]; k < model.colStart[j + 1]; k++) {
      act[model.rowIndex[k]] += model.values[k] * xj;
    }
  }
  return act;
}

export function objectiveValue(model: LpModel, x: Float64Array): number {
  let z = 0;
  for (let j = 0; j < model.numCols; j++) z += model.objective[j] * x[j];
  return z;
}

/** Aᵀ as compressed rows of A: row i's entries are [rowStart[i], rowStart[i+1]). */
export interface RowMajor {
  rowStart: Int32Array;
  colIndex: Int32Array;
  values: Float64Array;
}

export function toRowMajor(model: LpModel): RowMajor {
  const m = model.rows.length;
  const nnz = model.colStart[model.numCols];
  const rowStart = new Int32Array(m + 1);
  for (let k = 0; k < nnz; k++) rowStart[model.rowIndex[k] + 1]++;
  for (let i = 0; i < m; i++) rowStart[i + 1] += rowStart[i];
  const next = rowStart.slice(0, m);
  const colIndex = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  for (let j = 0; j < model.numCols; j++) {
    for (let k = model.colStart[j]; k < model.colStart[j + 1]; k++) {
      const p = next[model.rowIndex[k]]++;
      colIndex[p] = j;
      values[p] = model.values[k];
    }
  }
  return { rowStart, colIndex, values };
}

/** What a backend returns when there is no optimum: NaN objective, zero vectors. */
export function emptySolution(
  model: LpModel,
  status: LpStatus,
  seconds: number,
  message: string,
): LpSolution {
  return {
    status,
    objective: NaN,
    x: new Float64Array(model.numCols),
    rowActivity: new Float64Array(model.rows.length),
    rowDual: new Float64Array(model.rows.length),
    message,
    seconds,
  };
}

/**
 * A model without columns: every row reads 0 (sense) rhs. Solvers disagree on such input
 * (HiGHS reports "empty" and has no solution to return), so backends short-circuit it here.
 */
export function solveWithoutColumns(model: LpModel, seconds: number): LpSolution {
  const bad = model.rows.find(({ sense, rhs }) =>
    sense === "LE" ? rhs < 0 : sense === "GE" ? rhs > 0 : rhs !== 0,
  );
  if (bad) return emptySolution(model, "infeasible", seconds, `row ${bad.name} cannot hold`);
  return { ...emptySolution(model, "optimal", seconds, ""), objective: 0, message: undefined };
}

/** Copies a vector while turning -0 into 0, so callers can compare results with toEqual. */
export function cleanZeros(v: ArrayLike<number>): Float64Array {
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] + 0;
  return out;
}

export function nowSeconds(): number {
  return performance.now() / 1000;
}
