// Local improvement of a feasible plan at given prices. Two kinds of move, both keeping every
// constraint satisfied and only ever raising the objective:
//  - fill: one customer's add / swap / drop that fits the remaining slack and gains, taken in
//    order of reduced-value gain (so scarce resources go where the prices say they are worth most);
//  - exchange: a customer's gaining move that does not fit is paired with "releases" elsewhere
//    (drops or cheaper swaps) that free the blocked rows, cheapest loss per freed unit first;
//    kept only if the total gain is positive.
// With individual-level prices this closes most of the distance between a repaired plan and the
// Lagrangian bound; with cluster LP prices the exchanges stall (the notes' measurement), which is
// why callers re-price first.

import { extraCoefficient } from "./coupling";
import { priceTable, type ObjectiveWeights, type PriceTable } from "./lagrangian";
import { CandidateList, MoveBuffer, Stamp, widestCustomer } from "./moves";
import type { PlanState } from "./plan-state";
import { argsortAsc, argsortDesc } from "./sort";
import { NEVER, type StopCheck } from "./stop";

export interface PolishOptions {
  weights: ObjectiveWeights;
  lambda: Float64Array;
  maxRounds?: number;
  /** releases tried per exchange (default 12) */
  maxReleases?: number;
  /** customers to take moves from (index order); absent = all */
  scope?: Int32Array;
  /** consecutive failed exchanges before giving up a round (default 300) */
  maxFailures?: number;
  stop?: StopCheck;
}

export interface PolishOutcome {
  gain: number;
  fills: number;
  exchanges: number;
  rounds: number;
}

/** Per-customer scratch: objective w and reduced value v of each of its options. */
class Scratch {
  readonly buf: MoveBuffer;
  readonly w: Float64Array;
  readonly v: Float64Array;
  constructor(
    readonly state: PlanState,
    readonly weights: ObjectiveWeights,
    readonly pt: PriceTable,
  ) {
    const widest = widestCustomer(state);
    this.buf = new MoveBuffer(widest, state.cp.maxOffersPerCustomer);
    this.w = new Float64Array(widest);
    this.v = new Float64Array(widest);
  }

  /** loads customer i's option values and moves; returns the number of moves */
  load(i: number): number {
    const { state, weights, pt, w, v } = this;
    const r = state.inst.optReturn;
    const c = state.inst.optCost;
    const grp = state.cp.optGroup;
    const s = state.inst.custStart[i];
    const e = state.inst.custStart[i + 1];
    for (let p = s; p < e; p++) {
      w[p - s] = weights.wr * r[p] + weights.wc * c[p];
      v[p - s] =
        pt.alpha * r[p] + pt.beta * c[p] - pt.phi[grp[p]] - (pt.adj === null ? 0 : pt.adj[p]);
    }
    return s === e ? 0 : this.buf.load(state, i);
  }
}

export function polish(state: PlanState, opts: PolishOptions): PolishOutcome {
  const maxRounds = opts.maxRounds ?? 6;
  const pt = priceTable(state.cp, opts.lambda, opts.weights);
  const sc = new Scratch(state, opts.weights, pt);
  const out: PolishOutcome = { gain: 0, fills: 0, exchanges: 0, rounds: 0 };
  const w = opts.weights;
  const scale = Math.max(1, Math.abs(w.wr * state.totalR + w.wc * state.totalC));
  for (let round = 0; round < maxRounds; round++) {
    out.rounds++;
    const f = fill(sc, opts.scope, opts.stop ?? NEVER);
    const x = exchange(sc, opts);
    out.fills += f.moves;
    out.exchanges += x.moves;
    out.gain += f.gain + x.gain;
    if (f.gain + x.gain <= 1e-9 * scale) break;
  }
  return out;
}

/** Single-customer moves that fit and gain, best reduced-value gain first, until none is left. */
function fill(
  sc: Scratch,
  scope: Int32Array | undefined,
  stop: StopCheck,
  maxRounds = 4,
): { moves: number; gain: number } {
  const { state, buf, w, v } = sc;
  const inst = state.inst;
  const cands = new CandidateList(4096);
  const gains = new CandidateList(4096);
  const moved = new Stamp(inst.numCustomers);
  const nScope = scope ? scope.length : inst.numCustomers;
  let moves = 0;
  let gain = 0;
  for (let round = 0; round < maxRounds; round++) {
    cands.clear();
    gains.clear();
    for (let u = 0; u < nScope; u++) {
      stop.every(u);
      const i = scope ? scope[u] : u;
      const n = sc.load(i);
      const s = inst.custStart[i];
      // the two best gaining moves per customer by reduced value
      let b1 = -1;
      let b2 = -1;
      let k1 = -Infinity;
      let k2 = -Infinity;
      for (let t = 0; t < n; t++) {
        const d = buf.drop[t];
        const a = buf.add[t];
        const dw = (a >= 0 ? w[a - s] : 0) - (d >= 0 ? w[d - s] : 0);
        if (dw <= 0) continue;
        const k = (a >= 0 ? v[a - s] : 0) - (d >= 0 ? v[d - s] : 0);
        if (k > k1) {
          b2 = b1;
          k2 = k1;
          b1 = t;
          k1 = k;
        } else if (k > k2) {
          b2 = t;
          k2 = k;
        }
      }
      for (let z = 0; z < 2; z++) {
        const b = z === 0 ? b1 : b2;
        if (b < 0) continue;
        const d = buf.drop[b];
        const a = buf.add[b];
        cands.push(i, d, a, z === 0 ? k1 : k2);
        gains.push(i, d, a, (a >= 0 ? w[a - s] : 0) - (d >= 0 ? w[d - s] : 0));
      }
    }
    if (cands.n === 0) break;
    const order = argsortDesc(cands.key, cands.n);
    moved.next();
    let applied = 0;
    for (let t = 0; t < order.length; t++) {
      stop.every(t);
      const k = order[t];
      const i = cands.cust[k];
      if (moved.has(i)) continue;
      const d = cands.drop[k];
      const a = cands.add[k];
      state.prepare(d, a);
      if (!state.preparedFeasible()) continue;
      gain += gains.key[k];
      state.apply(i, d, a);
      moved.set(i);
      applied++;
    }
    moves += applied;
    if (applied === 0) break;
  }
  return { moves, gain };
}

/**
 * Gaining moves that do not fit, each paired with releases on the rows it would overfill.
 * Releases per row are ranked by objective loss per unit of the row they free.
 */
function exchange(sc: Scratch, opts: PolishOptions): { moves: number; gain: number } {
  const { state, buf, w, v } = sc;
  const { inst, cp } = state;
  const maxReleases = opts.maxReleases ?? 12;
  const stop = opts.stop ?? NEVER;
  const scope = opts.scope;
  const nScope = scope ? scope.length : inst.numCustomers;
  const acq = new CandidateList(4096);
  // rows worth freeing: those with little slack left
  const tightRows: number[] = [];
  for (let j = 0; j < cp.m; j++) {
    const slack = -state.over(j);
    if (slack < 2 * cp.unit[j] * Math.max(1, cp.maxOffersPerCustomer)) tightRows.push(j);
  }
  if (tightRows.length === 0) return { moves: 0, gain: 0 };
  const T = tightRows.length;
  const rel: CandidateList[] = tightRows.map(() => new CandidateList(1024));
  const relOfRow = new Int32Array(cp.m).fill(-1);
  tightRows.forEach((j, t) => (relOfRow[j] = t));
  const widest = widestCustomer(state);
  const a = new Float64Array(widest * T); // sign_j·a_j per option and tight row
  const bestRel = new Float64Array(T);
  const bestRelIdx = new Int32Array(T);
  const r = inst.optReturn;
  const c = inst.optCost;
  const grp = cp.optGroup;

  for (let u = 0; u < nScope; u++) {
    stop.every(u);
    const i = scope ? scope[u] : u;
    const n = sc.load(i);
    if (n === 0) continue;
    const s = inst.custStart[i];
    const e = inst.custStart[i + 1];
    for (let p = s; p < e; p++) {
      for (let t = 0; t < T; t++) {
        const j = tightRows[t];
        a[(p - s) * T + t] =
          cp.sign[j] *
          (cp.coefR[j] * r[p] +
            cp.coefC[j] * c[p] +
            cp.groupF[grp[p] * cp.m + j] +
            extraCoefficient(cp, p, j));
      }
    }
    let bestA = -1;
    let bestK = -Infinity;
    bestRel.fill(Infinity);
    bestRelIdx.fill(-1);
    for (let k = 0; k < n; k++) {
      const d = buf.drop[k];
      const ad = buf.add[k];
      const dw = (ad >= 0 ? w[ad - s] : 0) - (d >= 0 ? w[d - s] : 0);
      if (dw > 0) {
        const g = (ad >= 0 ? v[ad - s] : 0) - (d >= 0 ? v[d - s] : 0);
        if (g > bestK) {
          bestK = g;
          bestA = k;
        }
      } else if (d >= 0) {
        for (let t = 0; t < T; t++) {
          const rho = a[(d - s) * T + t] - (ad >= 0 ? a[(ad - s) * T + t] : 0);
          if (rho <= 1e-12) continue;
          const key = -dw / rho;
          if (key < bestRel[t]) {
            bestRel[t] = key;
            bestRelIdx[t] = k;
          }
        }
      }
    }
    if (bestA >= 0) acq.push(i, buf.drop[bestA], buf.add[bestA], bestK);
    for (let t = 0; t < T; t++) {
      const k = bestRelIdx[t];
      if (k >= 0) rel[t].push(i, buf.drop[k], buf.add[k], bestRel[t]);
    }
  }
  if (acq.n === 0) return { moves: 0, gain: 0 };
  const relOrder = rel.map((list) => argsortAsc(list.key, list.n));
  const cursor = new Int32Array(T);
  const used = new Stamp(inst.numCustomers); // customers changed by a committed exchange
  const inTry = new Stamp(inst.numCustomers);
  const order = argsortDesc(acq.key, acq.n);
  const logC: number[] = [];
  const logD: number[] = [];
  const logA: number[] = [];
  const wOf = (p: number) => opts.weights.wr * r[p] + opts.weights.wc * c[p];
  const dW = (d: number, ad: number) => (ad >= 0 ? wOf(ad) : 0) - (d >= 0 ? wOf(d) : 0);
  let moves = 0;
  let gain = 0;
  // acquisitions come best first: after a long run of failures the rest will fail too
  let failures = 0;
  const maxFailures = opts.maxFailures ?? 300;

  for (let q = 0; q < order.length && failures < maxFailures; q++) {
    stop.every(q);
    const k0 = order[q];
    const ci = acq.cust[k0];
    if (used.has(ci)) continue;
    const d0 = acq.drop[k0];
    const a0 = acq.add[k0];
    state.prepare(d0, a0);
    if (state.preparedFeasible()) {
      gain += dW(d0, a0);
      state.apply(ci, d0, a0);
      used.set(ci);
      moves++;
      continue;
    }
    // every row it overfills must be one we hold releases for; per-customer rules have none
    let blockedOk = state.preparedLocalOk();
    for (let t = 0; t < state.touchedCount(); t++) {
      const j = state.touchedRow(t);
      if (state.overAfter(j) > 0 && relOfRow[j] < 0) blockedOk = false;
    }
    if (!blockedOk) {
      failures++;
      continue;
    }
    inTry.next();
    inTry.set(ci);
    logC.length = 0;
    logD.length = 0;
    logA.length = 0;
    let total = dW(d0, a0);
    state.apply(ci, d0, a0);
    logC.push(ci);
    logD.push(d0);
    logA.push(a0);
    let releases = 0;
    let ok = true;
    while (ok) {
      // the most overfilled row
      let jb = -1;
      let worst = 0;
      for (let j = 0; j < cp.m; j++) {
        const over = state.over(j) - state.tolerance(j);
        if (over > 0 && over / cp.unit[j] > worst) {
          worst = over / cp.unit[j];
          jb = j;
        }
      }
      if (jb < 0) break; // feasible again
      const t = relOfRow[jb];
      if (t < 0 || releases >= maxReleases) {
        ok = false;
        break;
      }
      const list = rel[t];
      const ord = relOrder[t];
      let found = false;
      while (cursor[t] < ord.length && used.has(list.cust[ord[cursor[t]]])) cursor[t]++;
      for (let z = cursor[t]; z < ord.length && z < cursor[t] + 64; z++) {
        const k = ord[z];
        const ri = list.cust[k];
        if (used.has(ri) || inTry.has(ri)) continue;
        const d = list.drop[k];
        const ad = list.add[k];
        const dw = dW(d, ad);
        if (total + dw <= 0) break; // cheaper ones come first: nothing later can pay
        state.prepare(d, ad);
        if (!state.preparedNoWorse(jb) || cp.sign[jb] * state.deltaOf(jb) >= 0) continue;
        state.apply(ri, d, ad);
        inTry.set(ri);
        logC.push(ri);
        logD.push(d);
        logA.push(ad);
        total += dw;
        releases++;
        found = true;
        break;
      }
      if (!found) ok = false;
    }
    if (ok && total > 0 && state.feasible()) {
      for (const i of logC) used.set(i);
      gain += total;
      moves++;
      failures = 0;
    } else {
      failures++;
      for (let z = logC.length - 1; z >= 0; z--) state.apply(logC[z], logA[z], logD[z]);
    }
  }
  return { moves, gain };
}
