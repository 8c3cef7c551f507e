// Row-wise construction of an LpModel. Callers (tests, fixtures, small hand-written models) think
// in constraints; the solvers want columns. Large generated models should fill CSC directly.

import type { LpModel, RowSense } from "./types";

export interface RowSpec {
  name: string;
  sense: RowSense;
  rhs: number;
  /** [column, coefficient] pairs; repeated columns are summed */
  coefs: ReadonlyArray<readonly [number, number]>;
}

export interface ModelSpec {
  sense: "max" | "min";
  objective: readonly number[];
  /** one value for all columns or one per column; default 0 / Infinity */
  lower?: number | readonly number[];
  upper?: number | readonly number[];
  colNames?: string[];
  rows: readonly RowSpec[];
}

function perColumn(v: number | readonly number[] | undefined, n: number, dflt: number) {
  if (v === undefined) return new Float64Array(n).fill(dflt);
  if (typeof v === "number") return new Float64Array(n).fill(v);
  if (v.length !== n) throw new Error(`bound array has ${v.length} entries, expected ${n}`);
  return Float64Array.from(v);
}

export function buildModel(spec: ModelSpec): LpModel {
  const n = spec.objective.length;
  const perCol: Array<Array<[number, number]>> = Array.from({ length: n }, () => []);
  spec.rows.forEach((row, i) => {
    const merged = new Map<number, number>();
    for (const [j, a] of row.coefs) {
      if (!Number.isInteger(j) || j < 0 || j >= n) {
        throw new Error(`row ${row.name}: column ${j} out of range`);
      }
      merged.set(j, (merged.get(j) ?? 0) + a);
    }
    // rows are visited in order, so each column's row indexes come out increasing
    for (const [j, a] of merged) if (a !== 0) perCol[j].push([i, a]);
  });
  const colStart = new Int32Array(n + 1);
  for (let j = 0; j < n; j++) colStart[j + 1] = colStart[j] + perCol[j].length;
  const rowIndex = new Int32Array(colStart[n]);
  const values = new Float64Array(colStart[n]);
  perCol.forEach((entries, j) => {
    entries.forEach(([i, a], t) => {
      rowIndex[colStart[j] + t] = i;
      values[colStart[j] + t] = a;
    });
  });
  return {
    sense: spec.sense,
    numCols: n,
    objective: Float64Array.from(spec.objective),
    colLower: perColumn(spec.lower, n, 0),
    colUpper: perColumn(spec.upper, n, Infinity),
    colNames: spec.colNames,
    rows: spec.rows.map(({ name, sense, rhs }) => ({ name, sense, rhs })),
    colStart,
    rowIndex,
    values,
  };
}
