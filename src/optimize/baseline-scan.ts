// The ad-hoc plan's one pass over every option (baseline.ts, step 1): each customer's best
// return, each customer's best option of every offer with a minimum volume, and the cheapest
// option's cost. Every customer's entries depend on that customer's options only, and the
// cheapest cost is a minimum, so the scan splits into blocks of customers that any thread may
// take (pass-pool.ts) and gives the same arrays for any number of threads.

import { POLL_EVERY_CUSTOMERS_MASK, type StopCheck } from "./stop";

/** What the scan reads: the option arrays, and the minimum offers' slots. */
export interface ScanInput {
  custStart: Int32Array;
  optOffer: Int32Array;
  optReturn: Float64Array;
  optCost: Float64Array;
  /** per offer: its slot among the offers with a minimum volume, or -1 */
  slotOf: Int32Array;
}

/** What the scan writes, for customers [0, n) (n = custStart.length - 1). */
export interface ScanOutput {
  /** slot t, customer i: the best option of the slot's offer at t·n + i (-1: none) */
  best: Int32Array;
  /** per customer: the best return of its options (-Infinity: none) */
  bestR: Float64Array;
  /** per block: the cheapest option's cost in it (Infinity: no option) */
  blockMinCost: Float64Array;
}

/** Customers per block: as many as between two polls for a stop (stop.ts). */
export const SCAN_BLOCK = POLL_EVERY_CUSTOMERS_MASK + 1;

/** Runs the scan's blocks on several threads (PassPool.scan). */
export interface ScanRunner {
  scan(inp: ScanInput, out: ScanOutput, stop: StopCheck): void;
}

export function scanBlocks(numCustomers: number): number {
  return Math.ceil(numCustomers / SCAN_BLOCK);
}

/** The scan of block b (customers b·SCAN_BLOCK … ), written into out. */
export function scanBlock(inp: ScanInput, b: number, out: ScanOutput): void {
  const { custStart: start, optOffer: offer, optReturn: r, optCost: c, slotOf } = inp;
  const { best, bestR } = out;
  const n = start.length - 1;
  const from = b * SCAN_BLOCK;
  const to = Math.min(n, from + SCAN_BLOCK);
  let cheapest = Infinity;
  for (let i = from; i < to; i++) {
    let top = -Infinity;
    for (let p = start[i]; p < start[i + 1]; p++) {
      const rp = r[p];
      if (rp > top) top = rp;
      if (c[p] < cheapest) cheapest = c[p];
      const t = slotOf[offer[p]];
      if (t < 0) continue;
      const k = t * n + i;
      const q = best[k];
      if (q < 0 || rp > r[q]) best[k] = p;
    }
    bestR[i] = top;
  }
  out.blockMinCost[b] = cheapest;
}

/** The scan's arrays, empty: in shared memory when threads are to write them. */
export function scanOutput(numCustomers: number, slots: number, shared: boolean): ScanOutput {
  const buffer = (bytes: number) =>
    shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  const blocks = scanBlocks(numCustomers);
  return {
    best: new Int32Array(buffer(slots * numCustomers * 4)).fill(-1),
    bestR: new Float64Array(buffer(numCustomers * 8)),
    blockMinCost: new Float64Array(buffer(blocks * 8)),
  };
}

/** The whole scan on this thread, polling for a stop between blocks. */
export function scanAll(inp: ScanInput, out: ScanOutput, stop: StopCheck): void {
  const blocks = scanBlocks(inp.custStart.length - 1);
  for (let b = 0; b < blocks; b++) {
    stop.poll();
    scanBlock(inp, b, out);
  }
}

/** The cheapest option's cost over all blocks (Infinity: no option). */
export function cheapestCost(out: ScanOutput): number {
  let m = Infinity;
  for (const c of out.blockMinCost) if (c < m) m = c;
  return m;
}
