// LpModel → javascript-lp-solver JSON model, and jslp's answer → column values.

import type {
  ConstraintBound,
  Model as JslpModel,
  VariableCoefficients,
} from "javascript-lp-solver";
import type { LpModel, LpStatus } from "./types";

export interface PrimalOutcome {
  status: LpStatus;
  x: Float64Array;
  message?: string;
}

export interface JslpConversion {
  jslpModel: JslpModel;
  /** column j = offset[j] + dir[j] · (t_j⁺ − t_j⁻) in jslp's variables */
  offset: Float64Array;
  dir: Float64Array;
}

/** A row with no entries whose "0 (sense) rhs" is false makes the model infeasible outright. */
export type Conversion = JslpConversion | { emptyRowViolated: string };

const OBJ = "z";

/**
 * Columns whose finite upper bound already follows from one row and the other columns' bounds
 * (x_kj <= 1 under "Σ_j x_kj <= 1, x >= 0" in the cluster LP). jslp has no native bounds, and a
 * bound row per column makes its dense tableau ~30x larger, so these rows are left out.
 */
function impliedUpper(model: LpModel): Uint8Array {
  const m = model.rows.length;
  // row activity range over the column boxes; infinite parts are counted, not summed
  const minFin = new Float64Array(m);
  const maxFin = new Float64Array(m);
  const minInf = new Int32Array(m);
  const maxInf = new Int32Array(m);
  const eachEntry = (fn: (i: number, a: number, lo: number, hi: number) => void) => {
    for (let j = 0; j < model.numCols; j++) {
      for (let k = model.colStart[j]; k < model.colStart[j + 1]; k++) {
        const a = model.values[k];
        const lo = a > 0 ? a * model.colLower[j] : a * model.colUpper[j];
        const hi = a > 0 ? a * model.colUpper[j] : a * model.colLower[j];
        fn(model.rowIndex[k], a, lo, hi);
      }
    }
  };
  eachEntry((i, _a, lo, hi) => {
    if (Number.isFinite(lo)) minFin[i] += lo;
    else minInf[i]++;
    if (Number.isFinite(hi)) maxFin[i] += hi;
    else maxInf[i]++;
  });
  const implied = new Uint8Array(model.numCols);
  for (let j = 0; j < model.numCols; j++) {
    const u = model.colUpper[j];
    if (!Number.isFinite(u) || !Number.isFinite(model.colLower[j])) continue;
    for (let k = model.colStart[j]; k < model.colStart[j + 1] && !implied[j]; k++) {
      const i = model.rowIndex[k];
      const a = model.values[k];
      const { sense, rhs } = model.rows[i];
      // contribution of column j itself to the extreme activity, taken out again
      const own = a > 0 ? a * model.colLower[j] : a * u;
      let bound = Infinity;
      if (a > 0 && sense !== "GE" && minInf[i] === 0) bound = (rhs - (minFin[i] - own)) / a;
      const ownMax = a > 0 ? a * u : a * model.colLower[j];
      if (a < 0 && sense !== "LE" && maxInf[i] === 0) bound = (rhs - (maxFin[i] - ownMax)) / a;
      if (bound <= u + 1e-12 * Math.max(1, Math.abs(u))) implied[j] = 1;
    }
  }
  return implied;
}

/**
 * jslp variables are >= 0 and bounds are constraints, so each column becomes x = offset + dir·t
 * with t >= 0: shifted by a finite lower bound, reflected from a finite upper bound when there is
 * no lower one, or split as t⁺ − t⁻ when both are infinite. (jslp's own `unrestricted` option is
 * not used: on 3 of 50 random restricted duals it reported feasible LPs as infeasible.)
 */
export function toJslp(model: LpModel): Conversion {
  const n = model.numCols;
  const offset = new Float64Array(n);
  const dir = new Float64Array(n).fill(1);
  const rhs = model.rows.map((r) => r.rhs);
  const rowUsed = new Uint8Array(model.rows.length);
  const variables: Record<string, VariableCoefficients> = {};
  const constraints: Record<string, ConstraintBound> = {};
  const skipUpper = impliedUpper(model);

  for (let j = 0; j < n; j++) {
    const l = model.colLower[j];
    const u = model.colUpper[j];
    const coefs: VariableCoefficients = {};
    if (Number.isFinite(l)) offset[j] = l;
    else if (Number.isFinite(u)) {
      offset[j] = u;
      dir[j] = -1;
    }
    if (Number.isFinite(l) && Number.isFinite(u) && !skipUpper[j]) {
      constraints[`u${j}`] = { max: u - l };
      coefs[`u${j}`] = 1;
    }
    if (model.objective[j] !== 0) coefs[OBJ] = dir[j] * model.objective[j];
    for (let k = model.colStart[j]; k < model.colStart[j + 1]; k++) {
      const i = model.rowIndex[k];
      const a = model.values[k];
      if (a === 0) continue;
      rhs[i] -= a * offset[j];
      coefs[`r${i}`] = dir[j] * a;
      rowUsed[i] = 1;
    }
    variables[`x${j}`] = coefs;
    if (!Number.isFinite(l) && !Number.isFinite(u)) {
      const negated: VariableCoefficients = {};
      for (const [key, v] of Object.entries(coefs)) negated[key] = -v;
      variables[`n${j}`] = negated;
    }
  }

  for (let i = 0; i < model.rows.length; i++) {
    const { sense } = model.rows[i];
    const b = rhs[i];
    if (!rowUsed[i]) {
      // jslp silently ignores a constraint no variable mentions, so check "0 (sense) b" here
      const tol = 1e-9 * Math.max(1, Math.abs(model.rows[i].rhs));
      const ok = sense === "LE" ? b >= -tol : sense === "GE" ? b <= tol : Math.abs(b) <= tol;
      if (!ok) return { emptyRowViolated: model.rows[i].name };
      continue;
    }
    constraints[`r${i}`] = sense === "LE" ? { max: b } : sense === "GE" ? { min: b } : { equal: b };
  }

  const jslpModel: JslpModel = { optimize: OBJ, opType: model.sense, constraints, variables };
  return { jslpModel, offset, dir };
}

/** Maps jslp's answer (untyped: Solve() is declared to return `unknown`) back to model columns. */
export function fromJslp(raw: unknown, conv: JslpConversion, numCols: number): PrimalOutcome {
  if (typeof raw !== "object" || raw === null || !("feasible" in raw)) {
    return { status: "error", x: new Float64Array(numCols), message: "jslp returned no result" };
  }
  const res = raw as Record<string, unknown>;
  if (res.feasible !== true) {
    return { status: "infeasible", x: new Float64Array(numCols), message: "jslp: infeasible" };
  }
  if (res.bounded === false) {
    return { status: "unbounded", x: new Float64Array(numCols), message: "jslp: unbounded" };
  }
  const value = (key: string) => {
    const v = res[key];
    return typeof v === "number" ? v : 0;
  };
  const x = new Float64Array(numCols);
  for (let j = 0; j < numCols; j++) {
    x[j] = conv.offset[j] + conv.dir[j] * (value(`x${j}`) - value(`n${j}`)) + 0;
  }
  return { status: "optimal", x };
}
