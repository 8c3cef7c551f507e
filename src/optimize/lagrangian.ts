// The Lagrangian relaxation of the coupling rows, evaluated in one pass over the options.
//
// With prices λ ≥ 0 on the rows in "≤" form (sign·a·x ≤ sign·rhs), customer i's best plan is its
// top ≤ M options of distinct offers by reduced value v = w(p) − Σ_j λ_j·sign_j·a_j(p), where
// w(p) = wr·r + wc·c is the objective (wr = 1, wc = 0 for expected return; wc = −(1+q) in a
// Dinkelbach step for ROMI). Then
//   L(λ) = Σ_i max_S Σ_{p∈S} v(p) + Σ_j λ_j·sign_j·rhs_j
// is an upper bound on every feasible plan's objective (weak duality), and
//   ∂L/∂λ_j = sign_j·(rhs_j − a_j·x(λ))
// is a subgradient. Because a_j(p) = coefR_j·r + coefC_j·c + F[group, j], the reduced value is
// α·r + β·c − φ[group] with three numbers per price vector, so a pass costs a few flops per option.
//
// The per-customer polytope {≤ M options, ≤ 1 per offer} is integral, so min_λ L(λ) equals the
// LP relaxation of the whole individual-level problem.

import { activitiesFromGroups, type Coupling } from "./coupling";
import type { Instance } from "./instance";
import { GroupChooser, LocalChooser } from "./local-choice";
import { householdGroups } from "./policies";
import { NEVER, POLL_EVERY_CUSTOMERS_MASK, type StopCheck } from "./stop";

export interface ObjectiveWeights {
  wr: number;
  wc: number;
}

export const EXPECTED_RETURN: ObjectiveWeights = { wr: 1, wc: 0 };

/** Reduced value v(p) = alpha·r + beta·c − phi[group(p)] at a price vector. */
export interface PriceTable {
  alpha: number;
  beta: number;
  phi: Float64Array;
  /** per option: the price of its custom-capacity coefficients, subtracted too; null = none */
  adj: Float64Array | null;
}

/**
 * Prices per group (and per option for custom capacities). `perOption: false` leaves `adj` null
 * for callers that price only some options and add the custom part themselves (customPrices).
 */
export function priceTable(
  cp: Coupling,
  lambda: Float64Array,
  w: ObjectiveWeights,
  perOption = true,
): PriceTable {
  let alpha = w.wr;
  let beta = w.wc;
  for (let j = 0; j < cp.m; j++) {
    const ls = lambda[j] * cp.sign[j];
    alpha -= ls * cp.coefR[j];
    beta -= ls * cp.coefC[j];
  }
  const phi = new Float64Array(cp.numGroups);
  for (let g = 0; g < cp.numGroups; g++) {
    let s = 0;
    for (let t = cp.groupRowStart[g]; t < cp.groupRowStart[g + 1]; t++) {
      const j = cp.groupRowIndex[t];
      s += lambda[j] * cp.sign[j] * cp.groupRowValue[t];
    }
    phi[g] = s;
  }
  const ls = customPrices(cp, lambda);
  if (!perOption || ls === null) return { alpha, beta, phi, adj: null };
  // repair and polish ask for the same prices many times over: keep the last table
  const key = Array.from(ls).join(",");
  if (adjMemo.get(cp)?.key === key) return { alpha, beta, phi, adj: adjMemo.get(cp)!.adj };
  const adj = new Float64Array(cp.extraCoef[0].length);
  for (let t = 0; t < ls.length; t++) {
    if (ls[t] === 0) continue;
    const coef = cp.extraCoef[t];
    for (let p = 0; p < coef.length; p++) adj[p] += ls[t] * coef[p];
  }
  adjMemo.set(cp, { key, adj });
  return { alpha, beta, phi, adj };
}

const adjMemo = new WeakMap<Coupling, { key: string; adj: Float64Array }>();

/** ≤-form price of each custom-capacity row (index t of cp.extraRow); null when all are 0. */
export function customPrices(cp: Coupling, lambda: Float64Array): Float64Array | null {
  let any = false;
  const ls = new Float64Array(cp.extraRow.length);
  for (let t = 0; t < ls.length; t++) {
    ls[t] = lambda[cp.extraRow[t]] * cp.sign[cp.extraRow[t]];
    if (ls[t] !== 0) any = true;
  }
  return any ? ls : null;
}

export function reducedValue(pt: PriceTable, cp: Coupling, inst: Instance, p: number): number {
  return (
    pt.alpha * inst.optReturn[p] +
    pt.beta * inst.optCost[p] -
    pt.phi[cp.optGroup[p]] -
    (pt.adj === null ? 0 : pt.adj[p])
  );
}

/** Reduced value of every option (for passes that look at them several times). */
export function reducedValues(cp: Coupling, inst: Instance, pt: PriceTable): Float64Array {
  const n = inst.optOffer.length;
  const v = new Float64Array(n);
  const { alpha, beta, phi, adj } = pt;
  const r = inst.optReturn;
  const c = inst.optCost;
  const g = cp.optGroup;
  for (let p = 0; p < n; p++) v[p] = alpha * r[p] + beta * c[p] - phi[g[p]];
  if (adj !== null) for (let p = 0; p < n; p++) v[p] -= adj[p];
  return v;
}

export interface PassOptions {
  /** evaluate over these customers only (a sample); default all */
  customers?: Int32Array;
  /** multiplies every rhs (sample size / population) */
  rhsScale?: number;
  /** receives x(λ) for the customers of the pass */
  selected?: Uint8Array;
  /**
   * receives each customer's margin: the reduced value its choice would lose by the cheapest
   * single change (scope.ts uses it to find the customers worth moving). Exact for one offer per
   * customer; with more, switching channel within a held offer is not considered.
   */
  margins?: Float64Array;
  stop?: StopCheck;
}

export interface PassResult {
  /** L(λ) */
  value: number;
  /** Σ w(p) over x(λ) */
  objective: number;
  activity: Float64Array;
  /** ∂L/∂λ_j */
  subgradient: Float64Array;
  contacts: number;
}

/**
 * Margins of a household's members after its joint choice: a member holding options can lose its
 * weakest to the household's best option left out; a member holding none gains by taking its best
 * in place of the household's weakest chosen (or into a free slot).
 */
function householdMargins(
  members: Int32Array,
  chosen: Int32Array,
  nChosen: number,
  inst: Instance,
  value: (p: number) => number,
  marg: Float64Array,
): void {
  let weakestAll = Infinity;
  for (let q = 0; q < nChosen; q++) weakestAll = Math.min(weakestAll, value(chosen[q]));
  let bestOut = -Infinity;
  for (const i of members) {
    for (let p = inst.custStart[i]; p < inst.custStart[i + 1]; p++) {
      let isChosen = false;
      for (let q = 0; q < nChosen; q++) if (chosen[q] === p) isChosen = true;
      if (!isChosen) bestOut = Math.max(bestOut, value(p));
    }
  }
  for (const i of members) {
    let weakest = Infinity;
    let best = -Infinity;
    for (let p = inst.custStart[i]; p < inst.custStart[i + 1]; p++) {
      let isChosen = false;
      for (let q = 0; q < nChosen; q++) if (chosen[q] === p) isChosen = true;
      if (isChosen) weakest = Math.min(weakest, value(p));
      else best = Math.max(best, value(p));
    }
    if (weakest < Infinity) marg[i] = weakest - Math.max(0, bestOut);
    else if (best > -Infinity) marg[i] = (nChosen > 0 ? weakestAll : 0) - best;
    else marg[i] = Infinity;
  }
}

/** Scratch reused across passes of one instance (sized by the largest customer). */
export class PassScratch {
  readonly candP: Int32Array;
  readonly candV: Float64Array;
  readonly slotOfOffer: Int32Array;
  readonly stamp: Int32Array;
  readonly local: LocalChooser;
  readonly group: GroupChooser;
  /** runs the full passes over this scratch's instance on worker threads; null = here */
  runner: BlockRunner | null = null;
  constructor(inst: Instance) {
    let widest = 0;
    for (let i = 0; i < inst.numCustomers; i++) {
      widest = Math.max(widest, inst.custStart[i + 1] - inst.custStart[i]);
    }
    this.candP = new Int32Array(widest + 1);
    this.candV = new Float64Array(widest + 1);
    this.slotOfOffer = new Int32Array(inst.offerIds.length);
    this.stamp = new Int32Array(inst.offerIds.length).fill(-1);
    this.local = new LocalChooser(widest, inst.offerIds.length, inst.channelIds.length);
    this.group = new GroupChooser(inst.offerIds.length, inst.channelIds.length);
  }
}

/**
 * Customers per block of a pass. A pass sums its floating-point totals per block and then the
 * blocks in order, in-process or across worker threads alike, so the boundaries (and with them
 * every rounding) are the same for any number of threads; 4,096 customers (a few ms at 1M
 * customers) also keep polls and the threads' share-out fine-grained.
 */
export const PASS_BLOCK = POLL_EVERY_CUSTOMERS_MASK + 1;

/** What a pass needs to price an option: v = alpha·r + beta·c − phi[group] − Σ ls_t·extraCoef_t. */
export interface PassPrices {
  alpha: number;
  beta: number;
  phi: Float64Array;
  /** ≤-form prices of the custom-capacity rows (customPrices); null when all are 0 */
  ls: Float64Array | null;
}

/** Floats per block in a block-sums array: Σv, Σr, Σc, then one Σ per custom-capacity row. */
export function blockWidth(cp: Coupling): number {
  return 3 + cp.extraRow.length;
}

export function passPrices(cp: Coupling, lambda: Float64Array, w: ObjectiveWeights): PassPrices {
  const { alpha, beta, phi } = priceTable(cp, lambda, w, false);
  return { alpha, beta, phi, ls: customPrices(cp, lambda) };
}

/** Where a block writes: its sums, the group counts it adds to, and x(λ) and margins if wanted. */
export interface BlockOut {
  /** block b writes blockWidth(cp) floats at b·width */
  sums: Float64Array;
  /** contacts per group, added to (whole numbers: exact in any order) */
  cnt: Float64Array;
  selected?: Uint8Array;
  margins?: Float64Array;
  /** customers chosen with their household, not here (householdGroups' flag); null = none */
  hhFlag: Uint8Array | null;
}

/**
 * Block b of a pass: customers [b·PASS_BLOCK, (b+1)·PASS_BLOCK) of the pass (of `subset` when
 * given), each taking its best ≤ M options of distinct offers at the prices. Writes the block's
 * own sums from zero, so the result depends on the block alone.
 */
export function passBlock(
  inst: Instance,
  cp: Coupling,
  pr: PassPrices,
  b: number,
  out: BlockOut,
  scratch: PassScratch,
  subset?: Int32Array,
): void {
  const { alpha, beta, phi, ls } = pr;
  const hasAdj = ls !== null;
  const extraCoef = cp.extraCoef;
  const adjOf = (p: number): number => {
    let a = 0;
    for (let t = 0; t < ls!.length; t++) a += ls![t] * extraCoef[t][p];
    return a;
  };
  const nE = cp.extraRow.length;
  const width = 3 + nE;
  const o0 = b * width;
  const sums = out.sums;
  for (let t = 0; t < width; t++) sums[o0 + t] = 0;
  const addE = (p: number) => {
    for (let t = 0; t < nE; t++) sums[o0 + 3 + t] += extraCoef[t][p];
  };
  const classes = cp.local?.classes ?? [];
  const r = inst.optReturn;
  const c = inst.optCost;
  const grp = cp.optGroup;
  const start = inst.custStart;
  const sel = out.selected;
  const marg = out.margins;
  const cnt = out.cnt;
  const hhFlag = out.hhFlag;
  const nCust = subset ? subset.length : inst.numCustomers;
  const from = b * PASS_BLOCK;
  const to = Math.min(nCust, from + PASS_BLOCK);
  const M = cp.maxOffersPerCustomer;
  let sumV = 0;
  let sumR = 0;
  let sumC = 0;

  const keep = (bp: number, v: number) => {
    sumV += v;
    cnt[grp[bp]]++;
    sumR += r[bp];
    sumC += c[bp];
    if (nE > 0) addE(bp);
    if (sel) sel[bp] = 1;
  };
  if (M === 1) {
    for (let t = from; t < to; t++) {
      const i = subset ? subset[t] : t;
      if (hhFlag !== null && hhFlag[i]) continue;
      const s = start[i];
      const e = start[i + 1];
      let best = 0;
      let bp = -1;
      let top = -Infinity; // best v, even if ≤ 0
      let second = -Infinity;
      for (let p = s; p < e; p++) {
        const v = alpha * r[p] + beta * c[p] - phi[grp[p]] - (hasAdj ? adjOf(p) : 0);
        if (v > top) {
          second = top;
          top = v;
        } else if (v > second) second = v;
        if (v > best) {
          best = v;
          bp = p;
        }
      }
      if (marg) marg[i] = bp >= 0 ? best - Math.max(second, 0) : s < e ? -top : Infinity;
      if (sel) for (let p = s; p < e; p++) sel[p] = 0;
      if (bp >= 0) keep(bp, best);
    }
  } else {
    const { candP, candV, slotOfOffer, stamp } = scratch;
    // a stamp names the customer whose candidate the offer's slot holds: cleared per block, as
    // the scratch may have served another pass's block of the same customers
    stamp.fill(-1);
    const offer = inst.optOffer;
    for (let t = from; t < to; t++) {
      const i = subset ? subset[t] : t;
      if (hhFlag !== null && hhFlag[i]) continue;
      const s = start[i];
      const e = start[i + 1];
      let nc = 0;
      if (classes.length > 0) {
        // rules over the customer's own selection: solve its choice exactly
        const res = scratch.local.choose(
          i,
          s,
          e,
          M,
          classes,
          inst,
          (p) => alpha * r[p] + beta * c[p] - phi[grp[p]] - (hasAdj ? adjOf(p) : 0),
        );
        if (marg) marg[i] = res.margin;
        for (let p = s; p < e; p++) if (sel) sel[p] = 0;
        for (let q = 0; q < res.n; q++) keep(res.chosen[q], res.values[q]);
        continue;
      }
      for (let p = s; p < e; p++) {
        const v = alpha * r[p] + beta * c[p] - phi[grp[p]] - (hasAdj ? adjOf(p) : 0);
        if (sel) sel[p] = 0;
        if (v <= 0) continue;
        const o = offer[p];
        if (stamp[o] !== i) {
          stamp[o] = i;
          slotOfOffer[o] = nc;
          candP[nc] = p;
          candV[nc++] = v;
        } else if (v > candV[slotOfOffer[o]]) {
          candP[slotOfOffer[o]] = p;
          candV[slotOfOffer[o]] = v;
        }
      }
      const take = nc < M ? nc : M;
      if (marg) {
        // smallest selected v (cost of a drop) against the best offer left out
        let minSel = Infinity;
        let bestOut = 0;
        for (let u = 0; u < nc; u++) {
          let rank = 0;
          for (let x = 0; x < nc; x++) {
            if (candV[x] > candV[u] || (candV[x] === candV[u] && x < u)) rank++;
          }
          if (rank < take) minSel = Math.min(minSel, candV[u]);
          else bestOut = Math.max(bestOut, candV[u]);
        }
        let maxAll = -Infinity;
        for (let p = s; p < e; p++)
          maxAll = Math.max(
            maxAll,
            alpha * r[p] + beta * c[p] - phi[grp[p]] - (hasAdj ? adjOf(p) : 0),
          );
        marg[i] = take > 0 ? minSel - bestOut : s < e ? -maxAll : Infinity;
      }
      for (let q = 0; q < take; q++) {
        // partial selection sort: M is small
        let b = q;
        for (let u = q + 1; u < nc; u++) if (candV[u] > candV[b]) b = u;
        const bp = candP[b];
        const bv = candV[b];
        candP[b] = candP[q];
        candV[b] = candV[q];
        candP[q] = bp;
        candV[q] = bv;
        keep(bp, bv);
      }
    }
  }
  sums[o0] = sumV;
  sums[o0 + 1] = sumR;
  sums[o0 + 2] = sumC;
}

/** Runs a full pass's blocks on worker threads (pass-pool.ts); null = in this thread. */
export interface BlockRunner {
  /** serves passes over exactly this instance and coupling */
  readonly inst: Instance;
  readonly cp: Coupling;
  /** every block of the pass at the prices, into out.sums / cnt / selected / margins */
  run(pr: PassPrices, out: BlockOut, stop: StopCheck): void;
  /** the same threads for passes over a sample of the instance (sample.ts) */
  view(inst: Instance, cp: Coupling): BlockRunner;
}

/** The customers a full pass chooses with their household, after its blocks; null = none. */
export function householdFlagOf(cp: Coupling): Uint8Array | null {
  const rule = cp.local?.households[0];
  return rule === undefined ? null : householdGroups(rule, cp.maxOffersPerCustomer).flag;
}

export function lagrangianPass(
  inst: Instance,
  cp: Coupling,
  lambda: Float64Array,
  w: ObjectiveWeights,
  opts: PassOptions = {},
  scratch: PassScratch = new PassScratch(inst),
): PassResult {
  const pr = passPrices(cp, lambda, w);
  const { alpha, beta, phi, ls } = pr;
  const hasAdj = ls !== null;
  const adjOf = (p: number): number => {
    let a = 0;
    for (let t = 0; t < ls!.length; t++) a += ls![t] * cp.extraCoef[t][p];
    return a;
  };
  const nE = cp.extraRow.length;
  const width = blockWidth(cp);
  const classes = cp.local?.classes ?? [];
  const r = inst.optReturn;
  const c = inst.optCost;
  const grp = cp.optGroup;
  const start = inst.custStart;
  const sel = opts.selected;
  const marg = opts.margins;
  const subset = opts.customers;
  const nCust = subset ? subset.length : inst.numCustomers;
  const M = cp.maxOffersPerCustomer;
  const stop = opts.stop ?? NEVER;
  // households a limit can bind are chosen as one (GroupChooser) after the blocks; passes
  // over a subset of customers leave them relaxed (their value is still an upper bound)
  const hhRule = subset === undefined ? (cp.local?.households[0] ?? null) : null;
  const hh = hhRule === null ? null : householdGroups(hhRule, M);
  const nBlocks = Math.ceil(nCust / PASS_BLOCK);
  const out: BlockOut = {
    sums: new Float64Array(nBlocks * width),
    cnt: new Float64Array(cp.numGroups),
    selected: sel,
    margins: marg,
    hhFlag: hh?.flag ?? null,
  };
  const runner = scratch.runner;
  if (subset === undefined && runner !== null && runner.inst === inst && runner.cp === cp) {
    runner.run(pr, out, stop);
  } else {
    for (let b = 0; b < nBlocks; b++) {
      stop.poll();
      passBlock(inst, cp, pr, b, out, scratch, subset);
    }
  }
  // the blocks' sums in block order: the same additions whichever thread computed a block
  const cnt = out.cnt;
  let sumV = 0;
  let sumR = 0;
  let sumC = 0;
  const sumE = nE > 0 ? new Float64Array(nE) : null;
  for (let b = 0; b < nBlocks; b++) {
    sumV += out.sums[b * width];
    sumR += out.sums[b * width + 1];
    sumC += out.sums[b * width + 2];
    for (let t = 0; t < nE; t++) sumE![t] += out.sums[b * width + 3 + t];
  }

  if (hh !== null) {
    const chooser = scratch.group;
    const value = (p: number) => alpha * r[p] + beta * c[p] - phi[grp[p]] - (hasAdj ? adjOf(p) : 0);
    for (let g = 0; g + 1 < hh.start.length; g++) {
      if ((g & POLL_EVERY_CUSTOMERS_MASK) === 0) stop.poll();
      const members = hh.members.subarray(hh.start[g], hh.start[g + 1]);
      if (sel) for (const i of members) for (let p = start[i]; p < start[i + 1]; p++) sel[p] = 0;
      chooser.choose(members, hhRule!.limit, M, classes, inst, value);
      if (marg) householdMargins(members, chooser.chosen, chooser.n, inst, value, marg);
      for (let q = 0; q < chooser.n; q++) {
        const bp = chooser.chosen[q];
        sumV += chooser.values[q];
        cnt[grp[bp]]++;
        sumR += r[bp];
        sumC += c[bp];
        for (let t = 0; t < nE; t++) sumE![t] += cp.extraCoef[t][bp];
        if (sel) sel[bp] = 1;
      }
    }
  }

  stop.poll();
  let contacts = 0;
  for (let g = 0; g < cp.numGroups; g++) contacts += cnt[g];
  const scale = opts.rhsScale ?? 1;
  const activity = activitiesFromGroups(cp, cnt, sumR, sumC, sumE);
  const subgradient = new Float64Array(cp.m);
  let value = sumV;
  for (let j = 0; j < cp.m; j++) {
    const b = cp.rhs[j] * scale;
    value += lambda[j] * cp.sign[j] * b;
    subgradient[j] = cp.sign[j] * (b - activity[j]);
  }
  return { value, objective: w.wr * sumR + w.wc * sumC, activity, subgradient, contacts };
}
