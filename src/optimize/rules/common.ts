// What several rule kinds do alike: forbid a customer's options inside a set of cells, count a
// plan's contacts per customer or household, and offer the exceptions to a full class.
import type { Chosen, CompileContext, DualContext } from "../rule-kinds";

/**
 * Marks customer i's options in `cells` (null = every cell) as forbidden by this rule, unless an
 * earlier rule forbids them already; `offer` ≥ 0 narrows them to that offer.
 */
export function forbidCells(
  c: CompileContext,
  i: number,
  cells: Uint8Array | null,
  offer = -1,
): void {
  const { custStart: start, optOffer, optChannel } = c.inst;
  const blockedBy = c.blockedBy;
  for (let q = start[i]; q < start[i + 1]; q++) {
    const o = optOffer[q];
    if (offer >= 0 && o !== offer) continue;
    if ((cells === null || cells[o * c.K + optChannel[q]]) && blockedBy[q] === 0) {
      blockedBy[q] = c.tag;
    }
  }
}

/** Chosen options per key (customer, household) among those counted; negative keys are none. */
export function countPerKey(
  ch: Chosen,
  key: (i: number) => number,
  counted: (p: number) => boolean,
): Map<number, number> {
  const count = new Map<number, number>();
  for (let t = 0; t < ch.n; t++) {
    if (!counted(ch.opt[t])) continue;
    const k = key(ch.cust[t]);
    if (k < 0) continue;
    count.set(k, (count.get(k) ?? 0) + 1);
  }
  return count;
}

export function most(count: Map<number, number>): number {
  let worst = 0;
  for (const c of count.values()) worst = Math.max(worst, c);
  return worst;
}

/**
 * The exceptions to a limit of `cap` options inside `cells` per customer (`prior` of them used
 * before the plan): every option in the cells of a customer whose class is full.
 */
export function exceptionsWhenFull(
  d: DualContext,
  cells: Uint8Array,
  cap: number,
  prior: ((i: number) => number) | null,
): void {
  const { numCustomers: n, custStart: start, optOffer: offer, optChannel: channel } = d.inst;
  const K = d.inst.channelIds.length;
  for (let i = 0; i < n; i++) {
    let used = prior === null ? 0 : prior(i);
    if (used < cap) {
      for (let p = start[i]; p < start[i + 1]; p++) {
        if (d.selected[p] && cells[offer[p] * K + channel[p]]) used++;
      }
      if (used < cap) continue;
    }
    // full: an exception lets one more option of the class in
    for (let p = start[i]; p < start[i + 1]; p++) {
      if (cells[offer[p] * K + channel[p]]) d.consider(i, p);
    }
  }
}
