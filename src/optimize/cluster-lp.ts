// The paper's aggregate LP over clusters.
//
// Variables y[g,o,k] ≥ 0: how many members of cluster g get offer o through channel k, at most
// the number of members eligible for (o,k). Coefficients are the means of r and c over those
// eligible members. Rows:
//   coupling rows (budget, hurdle Σ(r − (1+h)c)·y ≥ 0, capacities, offer min/max, segment rules)
//   per cluster:           Σ_{o,k} y[g,o,k] ≤ size_g × maxOffersPerCustomer
//   per cluster and offer: Σ_k y[g,o,k] ≤ members eligible for o   (an offer once per customer)
// Objective: max Σ mean(r)·y.
//
// ROMI (R − C)/C is handled by Dinkelbach's parametric method rather than Charnes–Cooper: solve
// max Σ (mean r − (1+q)·mean c)·y, set q to the ratio of the solution, repeat until the optimum
// is 0 (q is then the LP's best ROMI); the first q comes from the expected-return LP. The same
// parametric form serves the Lagrangian in exact mode, and its row duals are d(R − (1+q)C)/d rhs,
// which divided by the plan's cost are d ROMI / d rhs (envelope theorem at the optimum).

import { groupIndex, type Coupling } from "./coupling";
import type { Instance } from "./instance";
import type { ObjectiveWeights } from "./lagrangian";
import type { LpModel, LpRow, LpSolution, LpSolver } from "./lp/types";
import { NEVER, type StopCheck } from "./stop";

export interface ClusterAggregates {
  k: number;
  size: Float64Array;
  /** k × O × K: members eligible for (o, k), Σ r and Σ c over them */
  eligible: Float64Array;
  sumR: Float64Array;
  sumC: Float64Array;
  /** k × O: members eligible for offer o through any channel */
  eligibleOffer: Float64Array;
  /** segment slot of each cluster (coupling.ts), -1 when its members span slots */
  slot: Int32Array;
  /** per custom-capacity row t of the coupling: k × O × K sums of its coefficient */
  sumE: Float64Array[];
}

export function aggregate(
  inst: Instance,
  cp: Coupling,
  membership: Int32Array,
  k: number,
  stop: StopCheck = NEVER,
): ClusterAggregates {
  const O = cp.numOffers;
  const K = cp.numChannels;
  const size = new Float64Array(k);
  const eligible = new Float64Array(k * O * K);
  const sumR = new Float64Array(k * O * K);
  const sumC = new Float64Array(k * O * K);
  const eligibleOffer = new Float64Array(k * O);
  const slot = new Int32Array(k).fill(-2);
  const stamp = new Int32Array(O).fill(-1);
  const nE = cp.extraRow.length;
  const sumE = cp.extraCoef.map(() => new Float64Array(k * O * K));
  for (let i = 0; i < inst.numCustomers; i++) {
    stop.every(i);
    const g = membership[i];
    if (g < 0) continue;
    size[g]++;
    const seg = inst.customerSegment[i];
    const sl = seg >= 0 ? cp.slotOfSegment[seg] : 0;
    slot[g] = slot[g] === -2 || slot[g] === sl ? sl : -1;
    for (let p = inst.custStart[i]; p < inst.custStart[i + 1]; p++) {
      const o = inst.optOffer[p];
      const idx = (g * O + o) * K + inst.optChannel[p];
      eligible[idx]++;
      sumR[idx] += inst.optReturn[p];
      sumC[idx] += inst.optCost[p];
      for (let t = 0; t < nE; t++) sumE[t][idx] += cp.extraCoef[t][p];
      if (stamp[o] !== i) {
        stamp[o] = i;
        eligibleOffer[g * O + o]++;
      }
    }
  }
  for (let g = 0; g < k; g++) if (slot[g] === -2) slot[g] = 0;
  return { k, size, eligible, sumR, sumC, eligibleOffer, slot, sumE };
}

/** Splits clusters whose members span segment slots, so segment rules stay exact. */
export function splitBySlot(
  inst: Instance,
  cp: Coupling,
  membership: Int32Array,
  k: number,
): { membership: Int32Array; k: number; parent: Int32Array } {
  const key = new Map<number, number>();
  const parent: number[] = [];
  const out = new Int32Array(membership.length).fill(-1);
  for (let i = 0; i < inst.numCustomers; i++) {
    const g = membership[i];
    if (g < 0) continue;
    const seg = inst.customerSegment[i];
    const sl = seg >= 0 ? cp.slotOfSegment[seg] : 0;
    const kk = g * cp.numSlots + sl;
    let c = key.get(kk);
    if (c === undefined) {
      c = parent.length;
      key.set(kk, c);
      parent.push(g);
    }
    out[i] = c;
  }
  void k;
  return { membership: out, k: parent.length, parent: Int32Array.from(parent) };
}

export interface ClusterLpModel {
  model: LpModel;
  /** cluster, offer, channel of each column */
  colCluster: Int32Array;
  colOffer: Int32Array;
  colChannel: Int32Array;
  /** LP row of coupling row j is j */
  numCoupling: number;
}

export function buildClusterLp(
  agg: ClusterAggregates,
  cp: Coupling,
  w: ObjectiveWeights,
): ClusterLpModel {
  const m = cp.m;
  const rows: LpRow[] = cp.rows.map((r, j) => ({ name: r.name, sense: r.sense, rhs: cp.rhs[j] }));
  const own = clusterRows(agg, cp, rows);
  const cols = columns(agg, cp, w, own);
  // rows were pushed in increasing order per column except the cluster row may precede offer
  // rows of later offers; sort each column's entries to keep CSC rows increasing
  const { colStart } = cols;
  const ri = Int32Array.from(cols.rowIndex);
  const va = Float64Array.from(cols.values);
  for (let c = 0; c + 1 < colStart.length; c++) sortColumn(ri, va, colStart[c], colStart[c + 1]);
  const n = cols.colCluster.length;
  return {
    model: {
      sense: "max",
      numCols: n,
      objective: Float64Array.from(cols.objective),
      colLower: new Float64Array(n),
      colUpper: Float64Array.from(cols.upper),
      rows,
      colStart: Int32Array.from(colStart),
      rowIndex: ri,
      values: va,
    },
    colCluster: Int32Array.from(cols.colCluster),
    colOffer: Int32Array.from(cols.colOffer),
    colChannel: Int32Array.from(cols.colChannel),
    numCoupling: m,
  };
}

/** LP row of each cluster's own rows, -1 where there is none. */
interface ClusterRows {
  /** per cluster: at most maxOffersPerCustomer contacts per member */
  clusterRow: Int32Array;
  /** per cluster × offer: each member gets the offer on one channel at most */
  offerRow: Int32Array;
}

/** Appends to rows the per-cluster rows, only where they can bind. */
function clusterRows(agg: ClusterAggregates, cp: Coupling, rows: LpRow[]): ClusterRows {
  const O = cp.numOffers;
  const K = cp.numChannels;
  const M = cp.maxOffersPerCustomer;
  const clusterRow = new Int32Array(agg.k).fill(-1);
  const offerRow = new Int32Array(agg.k * O).fill(-1);
  for (let g = 0; g < agg.k; g++) {
    let cols = 0;
    for (let o = 0; o < O; o++) {
      let channels = 0;
      for (let k = 0; k < K; k++) if (agg.eligible[(g * O + o) * K + k] > 0) channels++;
      if (channels > 1) {
        offerRow[g * O + o] = rows.length;
        rows.push({
          name: `cluster:${g}/offer:${o}`,
          sense: "LE",
          rhs: agg.eligibleOffer[g * O + o],
        });
      }
      cols += channels > 0 ? agg.eligibleOffer[g * O + o] : 0;
    }
    if (cols > agg.size[g] * M) {
      clusterRow[g] = rows.length;
      rows.push({ name: `cluster:${g}`, sense: "LE", rhs: agg.size[g] * M });
    }
  }
  return { clusterRow, offerRow };
}

/** One column per eligible (cluster, offer, channel): its objective, bound (the eligible
 * members) and entries, at the cluster's mean return and cost. */
function columns(agg: ClusterAggregates, cp: Coupling, w: ObjectiveWeights, own: ClusterRows) {
  const O = cp.numOffers;
  const K = cp.numChannels;
  const m = cp.m;
  const { clusterRow, offerRow } = own;
  const colCluster: number[] = [];
  const colOffer: number[] = [];
  const colChannel: number[] = [];
  const objective: number[] = [];
  const upper: number[] = [];
  const colStart: number[] = [0];
  const rowIndex: number[] = [];
  const values: number[] = [];
  for (let g = 0; g < agg.k; g++) {
    const slot = Math.max(0, agg.slot[g]);
    for (let o = 0; o < O; o++) {
      for (let k = 0; k < K; k++) {
        const idx = (g * O + o) * K + k;
        const e = agg.eligible[idx];
        if (e <= 0) continue;
        const rBar = agg.sumR[idx] / e;
        const cBar = agg.sumC[idx] / e;
        colCluster.push(g);
        colOffer.push(o);
        colChannel.push(k);
        objective.push(w.wr * rBar + w.wc * cBar);
        upper.push(e);
        const grp = groupIndex(cp, slot, o, k);
        for (let j = 0; j < m; j++) {
          let a = cp.coefR[j] * rBar + cp.coefC[j] * cBar + cp.groupF[grp * m + j];
          const t = cp.extraRow.indexOf(j);
          if (t >= 0) a += agg.sumE[t][idx] / e;
          if (a !== 0) {
            rowIndex.push(j);
            values.push(a);
          }
        }
        if (offerRow[g * O + o] >= 0) {
          rowIndex.push(offerRow[g * O + o]);
          values.push(1);
        }
        if (clusterRow[g] >= 0) {
          rowIndex.push(clusterRow[g]);
          values.push(1);
        }
        colStart.push(rowIndex.length);
      }
    }
  }
  return { colCluster, colOffer, colChannel, objective, upper, colStart, rowIndex, values };
}

function sortColumn(ri: Int32Array, va: Float64Array, s: number, e: number): void {
  for (let i = s + 1; i < e; i++) {
    const r = ri[i];
    const v = va[i];
    let j = i;
    while (j > s && ri[j - 1] > r) {
      ri[j] = ri[j - 1];
      va[j] = va[j - 1];
      j--;
    }
    ri[j] = r;
    va[j] = v;
  }
}

export interface ClusterLpResult {
  status: LpSolution["status"];
  message?: string;
  lp: ClusterLpModel;
  /** customers per column (cluster, offer, channel) */
  y: Float64Array;
  /** LP objective in the objective's own terms: expected return, or ROMI */
  value: number;
  /** prices (≤-form, ≥ 0) of the coupling rows for the objective last solved */
  lambda: Float64Array;
  /** d objective / d rhs of each coupling row, in the report's convention */
  dual: Float64Array;
  /** ROMI: the final Dinkelbach parameter */
  q?: number;
  /** ROMI: the weights of the last parametric LP (for pricing the disaggregation) */
  weights: ObjectiveWeights;
  seconds: number;
  solves: number;
}

/** The cluster LP's ROMI solve: Dinkelbach steps, one LP solve each, from the expected-return
 * solution's ratio. */
const LP_DINKELBACH = {
  /** a cap on the steps (each one LP solve); the loop ends once the ratio stops rising */
  maxSteps: 30,
  /** a step's objective at or below this share of the plan's scale counts as 0: the ratio is
   * optimal */
  zeroTol: 1e-9,
  /** relative rise of the ratio below which a step counts as no progress (round-off) */
  gainTol: 1e-12,
};

export async function solveClusterLp(
  agg: ClusterAggregates,
  cp: Coupling,
  objective: "EXPECTED_RETURN" | "ROMI",
  solver: LpSolver,
  stop: StopCheck = NEVER,
): Promise<ClusterLpResult> {
  let w: ObjectiveWeights = { wr: 1, wc: 0 };
  let lp = buildClusterLp(agg, cp, w);
  let sol = await solver.solve(lp.model, stop.solveOptions());
  let seconds = sol.seconds;
  let solves = 1;
  const totals = (x: Float64Array) => {
    let R = 0;
    let C = 0;
    for (let c = 0; c < lp.model.numCols; c++) {
      const idx =
        (lp.colCluster[c] * cp.numOffers + lp.colOffer[c]) * cp.numChannels + lp.colChannel[c];
      const e = agg.eligible[idx];
      R += (x[c] * agg.sumR[idx]) / e;
      C += (x[c] * agg.sumC[idx]) / e;
    }
    return { R, C };
  };
  const finish = (s: LpSolution, q?: number): ClusterLpResult => {
    const lambda = new Float64Array(cp.m);
    const dual = new Float64Array(cp.m);
    const { R, C } = totals(s.x);
    for (let j = 0; j < cp.m; j++) {
      lambda[j] = Math.max(0, cp.sign[j] * s.rowDual[j]);
      dual[j] = q === undefined ? s.rowDual[j] : C > 0 ? s.rowDual[j] / C : 0;
    }
    return {
      status: s.status,
      message: s.message,
      lp,
      y: s.x,
      value: q === undefined ? s.objective : C > 0 ? (R - C) / C : 0,
      lambda,
      dual,
      q,
      weights: w,
      seconds,
      solves,
    };
  };
  if (sol.status !== "optimal" || objective === "EXPECTED_RETURN") return finish(sol);

  // Dinkelbach from the expected-return solution
  let best = sol;
  let { R, C } = totals(sol.x);
  let q = C > 0 ? (R - C) / C : 0;
  for (let it = 0; it < LP_DINKELBACH.maxSteps; it++) {
    w = { wr: 1, wc: -(1 + q) };
    lp = buildClusterLp(agg, cp, w);
    const next = await solver.solve(lp.model, stop.solveOptions());
    seconds += next.seconds;
    solves++;
    if (next.status !== "optimal") break;
    const t = totals(next.x);
    const scale = Math.max(1, R + (1 + Math.abs(q)) * C);
    if (next.objective <= LP_DINKELBACH.zeroTol * scale || !(t.C > 0)) break;
    const q2 = (t.R - t.C) / t.C;
    sol = next;
    best = next;
    R = t.R;
    C = t.C;
    if (q2 <= q + LP_DINKELBACH.gainTol * (1 + Math.abs(q))) break;
    q = q2;
  }
  // keep the weights and model that produced `best`
  if (best !== sol) sol = best;
  w = { wr: 1, wc: -(1 + q) };
  lp = buildClusterLp(agg, cp, w);
  return finish(sol, q);
}
