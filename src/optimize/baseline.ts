// The paper's ad-hoc plan, as a business would build it by hand: customers in descending order of
// their best expected return, each given its best offers (up to maxOffersPerCustomer, distinct
// offers, next-best channel or offer when the best does not fit), until budget and capacities run
// out. Minimum volumes are served first, as mandated volumes usually are: for each offer with a
// minimum, its highest-return eligible customers in turn, within budget/capacity/maximums. Any
// constraint still unmet afterwards (a min-share rule, the hurdle, a minimum the mandated pass
// could not place) is fixed by the generic repair pass with no prices, i.e. least expected return
// lost per unit of repair.

import type { Coupling } from "./coupling";
import type { Instance } from "./instance";
import {
  cheapestCost as cheapestOf,
  scanAll,
  scanOutput,
  type ScanOutput,
  type ScanRunner,
} from "./baseline-scan";
import { EXPECTED_RETURN } from "./lagrangian";
import { PlanState } from "./plan-state";
import { repair } from "./repair";
import { argsortDesc, argsortDescTop } from "./sort";
import { NEVER, type StopCheck } from "./stop";

export interface BaselineOutcome {
  selected: Uint8Array;
  feasible: boolean;
}

/** Does adding option q to customer i keep every "≤" row (budget, capacities, maximums) within bound? */
function fitsUpperRows(state: PlanState, q: number): boolean {
  state.prepare(-1, q);
  for (let t = 0; t < state.touchedCount(); t++) {
    const j = state.touchedRow(t);
    if (state.cp.rows[j].sense === "LE" && state.overAfter(j) > 0) return false;
  }
  return true;
}

/** How much of a customer order is sorted up front (the rest only if the top runs out): the
 * customers a step can reach, times a margin for those skipped as full or not fitting, plus a
 * floor. Sorting the top instead of all customers is what keeps the plan cheap at millions. */
const SORT_TOP = {
  /** minimum fills: per contact the minimum needs */
  perMinimum: 4,
  /** the fill by return: per contact the budget pays for at the cheapest option's cost */
  perBudgetContact: 2,
  /** customers sorted beyond that, for the skipped ones */
  floor: 1000,
};

export function baselinePlan(
  inst: Instance,
  cp: Coupling,
  offerMin: Float64Array,
  stop: StopCheck = NEVER,
  /** threads for the scan of step 1 (the run's pass pool); null = this thread */
  threads: ScanRunner | null = null,
): BaselineOutcome {
  const state = new PlanState(inst, cp);
  const n = inst.numCustomers;
  const key = new Float64Array(n);

  // 1. mandated minimum volumes, offer by offer: its best channel per customer, best customers
  //    first (one scan finds every minimum offer's best option per customer, on the run's
  //    threads when it has some: baseline-scan.ts)
  const minOffers: number[] = [];
  for (let o = 0; o < inst.offerIds.length; o++) if (offerMin[o] > 0) minOffers.push(o);
  const slotOf = new Int32Array(inst.offerIds.length).fill(-1);
  minOffers.forEach((o, t) => (slotOf[o] = t));
  // the same scan records each customer's best return, for step 2, and the cheapest cost
  const scanned = scanOutput(n, minOffers.length, threads !== null);
  const input = {
    custStart: inst.custStart,
    optOffer: inst.optOffer,
    optReturn: inst.optReturn,
    optCost: inst.optCost,
    slotOf,
  };
  if (threads) threads.scan(input, scanned, stop);
  else scanAll(input, scanned, stop);
  placeMinimums(state, minOffers, offerMin, scanned, key, stop);

  // 2. everyone by best expected return, each customer's options best first
  fillByReturn(state, scanned, key, stop);

  // 3. whatever is still violated
  let feasible = state.feasible();
  if (!feasible) feasible = repair(state, { weights: EXPECTED_RETURN, stop }).feasible;
  return { selected: state.selected, feasible };
}

/** Step 1: per minimum offer, its best customers in turn get its best channel that fits (else the
 * next best) until the minimum is met; key is scratch of one entry per customer. */
function placeMinimums(
  state: PlanState,
  minOffers: number[],
  offerMin: Float64Array,
  scanned: ScanOutput,
  key: Float64Array,
  stop: StopCheck,
): void {
  const inst = state.inst;
  const r = inst.optReturn;
  const start = inst.custStart;
  const offer = inst.optOffer;
  const n = inst.numCustomers;
  const M = state.cp.maxOffersPerCustomer;
  const bestOpt = new Int32Array(n);
  const { best } = scanned;
  minOffers.forEach((o, t) => {
    stop.poll();
    for (let i = 0; i < n; i++) {
      const b = best[t * n + i];
      key[i] = b < 0 ? -Infinity : r[b];
      bestOpt[i] = b;
    }
    let order = argsortDescTop(key, SORT_TOP.perMinimum * offerMin[o] + SORT_TOP.floor);
    let have = 0;
    for (let t2 = 0; t2 < n && have < offerMin[o]; t2++) {
      stop.every(t2);
      if (t2 === order.length) order = argsortDesc(key); // the top ran out: the whole order
      const i = order[t2];
      if (bestOpt[i] < 0) break;
      if (state.count[i] >= M) continue;
      // the best channel of offer o that fits, else the next best
      let placed = tryAdd(state, i, bestOpt[i]);
      for (let p = start[i]; p < start[i + 1] && !placed; p++) {
        if (offer[p] === o && p !== bestOpt[i]) placed = tryAdd(state, i, p);
      }
      if (placed) have++;
    }
  });
}

/** Step 2: customers by best expected return, each given its options best first while they fit
 * and do not make the plan worse, until the budget pays for no further contact. */
function fillByReturn(
  state: PlanState,
  scanned: ScanOutput,
  key: Float64Array,
  stop: StopCheck,
): void {
  const { inst, cp } = state;
  const r = inst.optReturn;
  const start = inst.custStart;
  const n = inst.numCustomers;
  const M = cp.maxOffersPerCustomer;
  key.set(scanned.bestR);
  // only the customers before the budget runs out are visited: sort the top of the order first
  const cheapestCost = cheapestOf(scanned);
  const budgetRow = cp.rows.findIndex((row) => row.kind === "budget");
  const reach =
    budgetRow >= 0 && cheapestCost > 0
      ? Math.ceil((SORT_TOP.perBudgetContact * cp.rhs[budgetRow]) / cheapestCost) + SORT_TOP.floor
      : n;
  stop.poll();
  let order = argsortDescTop(key, reach);
  let widest = 0;
  for (let i = 0; i < n; i++) widest = Math.max(widest, start[i + 1] - start[i]);
  const own = new Int32Array(widest);
  for (let t = 0; t < n; t++) {
    stop.every(t);
    // once the budget cannot pay for any contact, nobody else can be added
    if (budgetRow >= 0 && cp.rhs[budgetRow] - state.act[budgetRow] < cheapestCost) break;
    if (t === order.length) order = argsortDesc(key);
    const i = order[t];
    const s = start[i];
    const e = start[i + 1];
    if (s === e || key[i] <= 0) break;
    if (state.count[i] >= M) continue;
    // insertion sort of the customer's options by return, descending
    for (let p = s; p < e; p++) {
      let j = p - s;
      while (j > 0 && r[own[j - 1]] < r[p]) {
        own[j] = own[j - 1];
        j--;
      }
      own[j] = p;
    }
    for (let u = 0; u < e - s && state.count[i] < M; u++) {
      const p = own[u];
      if (r[p] <= 0) break;
      if (!state.canAdd(i, p, -1)) continue;
      state.prepare(-1, p);
      if (state.preparedNoWorse()) state.apply(i, -1, p);
    }
  }
}

function tryAdd(state: PlanState, i: number, p: number): boolean {
  if (!state.canAdd(i, p, -1) || !fitsUpperRows(state, p)) return false;
  state.apply(i, -1, p);
  return true;
}
