// The LP dual of an LpModel, as another LpModel, for backends that report no duals.
//
// Primal, written as a max problem with s = +1 (max) or -1 (min) and c' = s·c:
//   max c'x  s.t.  A_i x (<=, >=, =) b_i,  l <= x <= u
// Dual:
//   min b·y + Σ u_j w_j − Σ l_j v_j
//   s.t. A_jᵀ y + w_j − v_j = c'_j          (one row per primal column j)
//        y_i >= 0 (LE), <= 0 (GE), free (EQ);  w_j >= 0 iff u_j finite, v_j >= 0 iff l_j finite
// Its optimum equals s·(primal optimum) and y_i = d(s·objective)/d b_i, so the row dual in the
// LpSolution convention is s·y_i.
//
// Given an optimal primal x*, complementary slackness says every optimal dual has y_i = 0 on
// rows with slack, w_j = 0 where x_j < u_j and v_j = 0 where x_j > l_j. Dropping those variables
// ("restricted" dual) keeps every optimal dual feasible, so its optimum is unchanged, while the
// LP gets far fewer columns. When l_j = 0 the v_j column is folded into the row (">= c'_j"),
// which is the common case and saves a column per primal column.

import { toRowMajor } from "./model";
import type { LpModel, LpRow } from "./types";

export interface DualModel {
  model: LpModel;
  /** dual column holding y_i for primal row i, or -1 when y_i was fixed at 0 */
  yCol: Int32Array;
  /** s: +1 if the primal is max, -1 if min; rowDual_i = s · y_i */
  sign: 1 | -1;
}

/** Which dual variables complementary slackness allows to be non-zero. */
export interface Restriction {
  rowMayBind: Uint8Array;
  colMayBeAtLower: Uint8Array;
  colMayBeAtUpper: Uint8Array;
}

/**
 * Classifies rows/columns at an (approximately) optimal x. Anything within `tol` (relative) of a
 * bound counts as possibly binding: keeping a variable the exact optimum would drop is harmless,
 * dropping one it needs would make the restricted dual infeasible.
 */
export function restrictionAt(
  model: LpModel,
  x: Float64Array,
  activity: Float64Array,
  tol = 1e-7,
): Restriction {
  const near = (a: number, b: number) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
  const rowMayBind = new Uint8Array(model.rows.length);
  model.rows.forEach((row, i) => {
    rowMayBind[i] = row.sense === "EQ" || near(activity[i], row.rhs) ? 1 : 0;
  });
  const colMayBeAtLower = new Uint8Array(model.numCols);
  const colMayBeAtUpper = new Uint8Array(model.numCols);
  for (let j = 0; j < model.numCols; j++) {
    const l = model.colLower[j];
    const u = model.colUpper[j];
    colMayBeAtLower[j] = Number.isFinite(l) && (x[j] <= l || near(x[j], l)) ? 1 : 0;
    colMayBeAtUpper[j] = Number.isFinite(u) && (x[j] >= u || near(x[j], u)) ? 1 : 0;
  }
  return { rowMayBind, colMayBeAtLower, colMayBeAtUpper };
}

export function buildDual(model: LpModel, restriction?: Restriction): DualModel {
  const sign: 1 | -1 = model.sense === "max" ? 1 : -1;
  const n = model.numCols;
  const m = model.rows.length;
  const byRow = toRowMajor(model);

  const objective: number[] = [];
  const lower: number[] = [];
  const upper: number[] = [];
  const names: string[] = [];
  const starts: number[] = [0];
  const rowIndex: number[] = [];
  const values: number[] = [];
  const addCol = (name: string, cost: number, lo: number, up: number) => {
    names.push(name);
    objective.push(cost);
    lower.push(lo);
    upper.push(up);
    starts.push(rowIndex.length);
  };

  const yCol = new Int32Array(m).fill(-1);
  model.rows.forEach((row, i) => {
    if (restriction && !restriction.rowMayBind[i]) return;
    for (let k = byRow.rowStart[i]; k < byRow.rowStart[i + 1]; k++) {
      rowIndex.push(byRow.colIndex[k]);
      values.push(byRow.values[k]);
    }
    yCol[i] = names.length;
    const lo = row.sense === "LE" ? 0 : -Infinity;
    const up = row.sense === "GE" ? 0 : Infinity;
    addCol(`y:${row.name}`, row.rhs, lo, up);
  });

  const rows: LpRow[] = [];
  for (let j = 0; j < n; j++) {
    const l = model.colLower[j];
    const u = model.colUpper[j];
    const keepW = Number.isFinite(u) && (!restriction || restriction.colMayBeAtUpper[j] === 1);
    const keepV = Number.isFinite(l) && (!restriction || restriction.colMayBeAtLower[j] === 1);
    if (keepW) {
      rowIndex.push(j);
      values.push(1);
      addCol(`w:${j}`, u, 0, Infinity);
    }
    let sense: LpRow["sense"] = "EQ";
    if (keepV && l === 0) sense = "GE";
    else if (keepV) {
      rowIndex.push(j);
      values.push(-1);
      addCol(`v:${j}`, -l, 0, Infinity);
    }
    rows.push({ name: `col:${j}`, sense, rhs: sign * model.objective[j] });
  }

  // The y columns were pushed in row order, but each w/v column sits in one row, so only the
  // row indexes inside a y column need to be increasing; toRowMajor already sorted them.
  return {
    model: {
      sense: "min",
      numCols: names.length,
      objective: Float64Array.from(objective),
      colLower: Float64Array.from(lower),
      colUpper: Float64Array.from(upper),
      colNames: names,
      rows,
      colStart: Int32Array.from(starts),
      rowIndex: Int32Array.from(rowIndex),
      values: Float64Array.from(values),
    },
    yCol,
    sign,
  };
}

/** Row duals (LpSolution convention) from a solved dual model's x. */
export function rowDualsFrom(dual: DualModel, dualX: Float64Array): Float64Array {
  const out = new Float64Array(dual.yCol.length);
  dual.yCol.forEach((c, i) => {
    out[i] = c < 0 ? 0 : dual.sign * dualX[c] + 0;
  });
  return out;
}
