// The LP relaxation of the whole problem at individual level: one column per option. Only for
// small instances (diagnosis of infeasibility, tests); large instances use the cluster LP or the
// Lagrangian, whose minimum equals this LP's optimum.

import { coefficient, type Coupling } from "./coupling";
import type { Instance } from "./instance";
import type { ObjectiveWeights } from "./lagrangian";
import type { LpModel, LpRow } from "./lp/types";

export interface IndividualLp {
  model: LpModel;
  /** LP row of coupling row j */
  couplingRow: Int32Array;
}

export function buildIndividualLp(inst: Instance, cp: Coupling, w: ObjectiveWeights): IndividualLp {
  const nOpt = inst.optOffer.length;
  const M = cp.maxOffersPerCustomer;
  const rows: LpRow[] = [];
  // per option: list of (row, coef)
  const entries: Array<Array<[number, number]>> = Array.from({ length: nOpt }, () => []);
  for (let i = 0; i < inst.numCustomers; i++) {
    const s = inst.custStart[i];
    const e = inst.custStart[i + 1];
    if (e - s > M) {
      const r = rows.length;
      rows.push({ name: `customer:${i}`, sense: "LE", rhs: M });
      for (let p = s; p < e; p++) entries[p].push([r, 1]);
    }
    const byOffer = new Map<number, number[]>();
    for (let p = s; p < e; p++) {
      const o = inst.optOffer[p];
      const list = byOffer.get(o) ?? [];
      list.push(p);
      byOffer.set(o, list);
    }
    for (const [o, list] of byOffer) {
      if (list.length < 2) continue;
      const r = rows.length;
      rows.push({ name: `customer:${i}/offer:${o}`, sense: "LE", rhs: 1 });
      for (const p of list) entries[p].push([r, 1]);
    }
  }
  const couplingRow = new Int32Array(cp.m);
  for (let j = 0; j < cp.m; j++) {
    couplingRow[j] = rows.length;
    rows.push({ name: cp.rows[j].name, sense: cp.rows[j].sense, rhs: cp.rhs[j] });
    for (let p = 0; p < nOpt; p++) {
      const a = coefficient(cp, inst, p, j);
      if (a !== 0) entries[p].push([couplingRow[j], a]);
    }
  }
  const colStart = new Int32Array(nOpt + 1);
  for (let p = 0; p < nOpt; p++) colStart[p + 1] = colStart[p] + entries[p].length;
  const rowIndex = new Int32Array(colStart[nOpt]);
  const values = new Float64Array(colStart[nOpt]);
  for (let p = 0; p < nOpt; p++) {
    entries[p].forEach(([r, a], t) => {
      rowIndex[colStart[p] + t] = r;
      values[colStart[p] + t] = a;
    });
  }
  const objective = new Float64Array(nOpt);
  for (let p = 0; p < nOpt; p++) objective[p] = w.wr * inst.optReturn[p] + w.wc * inst.optCost[p];
  return {
    model: {
      sense: "max",
      numCols: nOpt,
      objective,
      colLower: new Float64Array(nOpt),
      colUpper: new Float64Array(nOpt).fill(1),
      rows,
      colStart,
      rowIndex,
      values,
    },
    couplingRow,
  };
}
