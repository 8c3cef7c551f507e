// Enumerating one customer's moves into typed buffers (no callbacks in the hot loops), and a
// growable list of candidate moves to sort across customers.

import type { PlanState } from "./plan-state";

/** The moves (drop p, add q) open to one customer: drops, adds into a free slot, swaps. */
export class MoveBuffer {
  drop: Int32Array;
  add: Int32Array;
  n = 0;
  private readonly sel: Int32Array;

  constructor(maxOptionsPerCustomer: number, maxOffersPerCustomer: number) {
    const size = (maxOffersPerCustomer + 1) * (maxOptionsPerCustomer + 1) + 1;
    this.drop = new Int32Array(size);
    this.add = new Int32Array(size);
    this.sel = new Int32Array(maxOptionsPerCustomer + 1);
  }

  /** Fills the buffer with customer i's valid moves; returns their number. */
  load(state: PlanState, i: number, drops = true, adds = true): number {
    const inst = state.inst;
    const s = inst.custStart[i];
    const e = inst.custStart[i + 1];
    const selected = state.selected;
    const offer = inst.optOffer;
    const free = state.count[i] < state.cp.maxOffersPerCustomer;
    let ns = 0;
    for (let p = s; p < e; p++) if (selected[p]) this.sel[ns++] = p;
    let n = 0;
    if (drops) {
      for (let t = 0; t < ns; t++) {
        this.drop[n] = this.sel[t];
        this.add[n++] = -1;
      }
    }
    if (adds) {
      for (let q = s; q < e; q++) {
        if (selected[q]) continue;
        const o = offer[q];
        // which selected option already holds offer o (at most one)
        let holder = -1;
        for (let t = 0; t < ns; t++) if (offer[this.sel[t]] === o) holder = this.sel[t];
        if (holder < 0 && free) {
          this.drop[n] = -1;
          this.add[n++] = q;
        }
        if (holder >= 0) {
          this.drop[n] = holder;
          this.add[n++] = q;
        } else {
          for (let t = 0; t < ns; t++) {
            this.drop[n] = this.sel[t];
            this.add[n++] = q;
          }
        }
      }
    }
    const local = state.local;
    if (local !== null) {
      // per-customer and household rules (policies.ts): keep only the moves they allow
      let w = 0;
      for (let t = 0; t < n; t++) {
        const a = this.add[t];
        if (a >= 0 && !local.allows(i, a, this.drop[t])) continue;
        this.drop[w] = this.drop[t];
        this.add[w++] = a;
      }
      n = w;
    }
    this.n = n;
    return n;
  }
}

export function widestCustomer(state: PlanState): number {
  const start = state.inst.custStart;
  let w = 0;
  for (let i = 0; i < state.inst.numCustomers; i++) w = Math.max(w, start[i + 1] - start[i]);
  return w;
}

/** Candidate moves across customers, with a sort key. */
export class CandidateList {
  cust: Int32Array;
  drop: Int32Array;
  add: Int32Array;
  key: Float64Array;
  n = 0;

  constructor(capacity = 1024) {
    this.cust = new Int32Array(capacity);
    this.drop = new Int32Array(capacity);
    this.add = new Int32Array(capacity);
    this.key = new Float64Array(capacity);
  }

  push(cust: number, drop: number, add: number, key: number): void {
    if (this.n === this.cust.length) this.grow();
    const t = this.n++;
    this.cust[t] = cust;
    this.drop[t] = drop;
    this.add[t] = add;
    this.key[t] = key;
  }

  clear(): void {
    this.n = 0;
  }

  private grow(): void {
    const cap = this.cust.length * 2;
    const g32 = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    const b64 = new Float64Array(cap);
    b64.set(this.key);
    this.cust = g32(this.cust);
    this.drop = g32(this.drop);
    this.add = g32(this.add);
    this.key = b64;
  }
}

/** Customers touched in the current round (a stamp array avoids clearing per round). */
export class Stamp {
  private readonly mark: Int32Array;
  private round = 1;
  constructor(n: number) {
    this.mark = new Int32Array(n);
  }
  next(): void {
    this.round++;
  }
  has(i: number): boolean {
    return this.mark[i] === this.round;
  }
  set(i: number): void {
    this.mark[i] = this.round;
  }
}
