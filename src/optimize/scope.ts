// Which customers repair and polish look at. Near the Lagrangian optimum only customers whose
// choice is nearly tied at the prices can change cheaply; everyone else would lose a lot of
// reduced value by moving. Restricting the candidate moves to the customers with the smallest
// margins keeps repair and polish at a fraction of a pass, whatever the customer count.
// Customers whose choice is tied at the prices are always in: a calendar's waves are copies of the
// same options, so at converged prices tens of thousands of customers are indifferent between
// waves, x(λ) sends them all to the wave priced a hair lower, and only they can move that wave's
// contacts to the others without loss (a fixed-size scope at 300k customers left the repair
// dropping contacts instead: 91 % of the bound).

import type { Coupling } from "./coupling";
import type { Instance } from "./instance";
import type { PriceTable } from "./lagrangian";
import { argsortAsc } from "./sort";
import { NEVER, type StopCheck } from "./stop";

/**
 * Margin of each customer's current selection at the prices: the least reduced value it would
 * lose by any single move (drop, add into a free slot, swap). Negative = a move would gain.
 */
export function margins(
  inst: Instance,
  cp: Coupling,
  pt: PriceTable,
  selected: Uint8Array,
  stop: StopCheck = NEVER,
): Float64Array {
  const { alpha, beta, phi } = pt;
  const adj = pt.adj;
  const r = inst.optReturn;
  const c = inst.optCost;
  const grp = cp.optGroup;
  const offer = inst.optOffer;
  const M = cp.maxOffersPerCustomer;
  const out = new Float64Array(inst.numCustomers);
  const holderStamp = new Int32Array(inst.offerIds.length).fill(-1);
  const holderV = new Float64Array(inst.offerIds.length);
  for (let i = 0; i < inst.numCustomers; i++) {
    stop.every(i);
    const s = inst.custStart[i];
    const e = inst.custStart[i + 1];
    let count = 0;
    let minSel = Infinity; // smallest v among selected (cost of dropping it)
    for (let p = s; p < e; p++) {
      if (!selected[p]) continue;
      const v = alpha * r[p] + beta * c[p] - phi[grp[p]] - (adj === null ? 0 : adj[p]);
      count++;
      if (v < minSel) minSel = v;
      holderStamp[offer[p]] = i;
      holderV[offer[p]] = v;
    }
    let margin = count > 0 ? minSel : Infinity;
    let maxFree = -Infinity; // best v among unselected options of offers not held
    for (let q = s; q < e; q++) {
      if (selected[q]) continue;
      const vq = alpha * r[q] + beta * c[q] - phi[grp[q]] - (adj === null ? 0 : adj[q]);
      const o = offer[q];
      if (holderStamp[o] === i) margin = Math.min(margin, holderV[o] - vq);
      else if (vq > maxFree) maxFree = vq;
    }
    if (maxFree > -Infinity) {
      if (count < M) margin = Math.min(margin, -maxFree);
      if (count > 0) margin = Math.min(margin, minSel - maxFree);
    }
    out[i] = margin === Infinity ? 0 : margin;
  }
  return out;
}

/** The k customers (with options) of smallest margin, in index order. */
export function marginalScope(
  inst: Instance,
  cp: Coupling,
  pt: PriceTable,
  selected: Uint8Array,
  k: number,
  stop: StopCheck = NEVER,
  tie = -Infinity,
): Int32Array {
  return smallestMargins(inst, margins(inst, cp, pt, selected, stop), k, stop, tie);
}

/**
 * The k customers (with options) of smallest margin, from margins computed elsewhere, and beyond
 * k every customer whose margin is at most `tie` (a tie at the prices, see above).
 */
export function smallestMargins(
  inst: Instance,
  mg: Float64Array,
  k: number,
  stop: StopCheck = NEVER,
  tie = -Infinity,
): Int32Array {
  stop.poll();
  for (let i = 0; i < inst.numCustomers; i++) {
    if (inst.custStart[i + 1] === inst.custStart[i]) mg[i] = Infinity;
  }
  stop.poll();
  const order = argsortAsc(mg);
  stop.poll();
  let n = 0;
  while (n < Math.min(k, order.length) && mg[order[n]] < Infinity) n++;
  while (n < order.length && mg[order[n]] <= tie) n++;
  return order.slice(0, n).sort();
}

/**
 * Share of the value scale below which a customer's margin counts as a tie. The scope only makes
 * moves available (repair still takes the cheapest first), so a generous margin costs time, not
 * value. At 1M customers, 3 waves and every rule the wave prices agreed only to ~1e-4, so the
 * near-ties were that times a contact's cost (~1e-3): 1e-4 of the value scale left 98.6 % of the
 * bound, 1e-2 reached 99.95 % with 13.5 % of the customers in scope.
 */
const TIE_SHARE = 1e-2;

/** The margin at or below which a customer is tied at the prices, for objective weight wr. */
export function tieMargin(cp: Coupling, wr: number): number {
  return TIE_SHARE * cp.valueScale * Math.max(Math.abs(wr), 1e-12);
}

/** A default scope size: enough customers for the repairs near an optimum, at any scale. */
export function defaultScopeSize(numCustomers: number): number {
  return Math.min(numCustomers, Math.max(20000, Math.ceil(numCustomers / 50)));
}
