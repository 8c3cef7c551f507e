// Certificate check for row duals, independent of how a backend produced them: dual feasibility
// (sign of each y_i, and reduced costs compatible with the column bounds) and the dual objective,
// which equals the primal optimum exactly when the duals are optimal (strong duality). Used by the
// jslp backend to validate its derived duals and by the tests to compare backends whose duals may
// legitimately differ on degenerate problems.

import type { LpModel } from "./types";

export interface DualCheck {
  /** b·y + Σ_j (bound the reduced cost pushes against)·d_j, in the model's sense */
  dualObjective: number;
  /** largest wrong-sign row dual (0 when all signs are right) */
  maxSignViolation: number;
  /** largest reduced cost pushing a column towards an infinite bound */
  maxReducedCostViolation: number;
}

export function checkDuals(model: LpModel, rowDual: Float64Array): DualCheck {
  const s = model.sense === "max" ? 1 : -1;
  let dualObjective = 0;
  let maxSignViolation = 0;
  model.rows.forEach((row, i) => {
    // y in the max-form dual: >= 0 on LE rows, <= 0 on GE rows
    const y = s * rowDual[i];
    if (row.sense === "LE") maxSignViolation = Math.max(maxSignViolation, -y);
    if (row.sense === "GE") maxSignViolation = Math.max(maxSignViolation, y);
    dualObjective += row.rhs * y;
  });
  let maxReducedCostViolation = 0;
  for (let j = 0; j < model.numCols; j++) {
    let d = s * model.objective[j];
    for (let k = model.colStart[j]; k < model.colStart[j + 1]; k++) {
      d -= model.values[k] * s * rowDual[model.rowIndex[k]];
    }
    // d > 0 wants x_j as large as possible, so it is paid for by the upper bound (and v.v.)
    const bound = d > 0 ? model.colUpper[j] : model.colLower[j];
    if (d === 0) continue;
    if (Number.isFinite(bound)) dualObjective += bound * d;
    else maxReducedCostViolation = Math.max(maxReducedCostViolation, Math.abs(d));
  }
  return { dualObjective: s * dualObjective, maxSignViolation, maxReducedCostViolation };
}
