// The data contract's eligibility rule applied to score rows as they stream in (the rule is
// also the SQL view eligible_option; the loader's test cross-checks the two): a channel-less row
// holds for every channel the offer allows (probability × the channel's response factor, capped
// at 1) unless a row naming that channel overrides it; a cost left empty is the channel's cost
// per contact; do-not-contact customers get no options.
//
// Rows arrive in the table's physical order, which after an import is customer by customer and
// nearly ascending, but nothing guarantees it (a synchronised scan starts mid-table, updated rows
// move, the import's batches overlap at their edges). Each run of consecutive rows of one
// customer is expanded when the run ends. A run whose customer comes after every customer seen so
// far is written straight into the instance's arrays; any other run (a customer out of order, a
// customer's second run) goes to a side store, and assemble() slides the in-order runs to their
// final places and fills the gaps from the side store, merging a customer's runs (a row naming a
// channel beats a channel-less one).
//
// Writing every option once, into its final array, matters more than the arithmetic: on the
// project's VMs the first write to fresh memory costs ~3 ms per MB (page faults), so a staging
// copy of the options would cost as much again as the options themselves. The final arrays are
// allocated for the largest count the table statistics allow and returned as views of exactly
// the options: pages never written are never backed by memory.
import type { Instance } from "../optimize/instance";

export interface ExpanderCatalog {
  numOffers: number;
  numChannels: number;
  /** offer × channel, 1 where the offer may go through the channel */
  allowed: Uint8Array;
  responseFactor: Float64Array;
  channelCost: Float64Array;
}

/** Per customer, by database id: what the customers table says. */
export interface CustomerTable {
  /** segment index per database id; ABSENT where no customer has that id */
  segmentOfId: Int32Array;
  /** filled while the score rows stream in: a customer known to be do-not-contact is skipped early */
  doNotContactOfId: Uint8Array;
}
export const ABSENT = -2;

export type ExpandedOptions = Pick<
  Instance,
  | "numCustomers"
  | "customerKey"
  | "customerSegment"
  | "custStart"
  | "optOffer"
  | "optChannel"
  | "optReturn"
  | "optCost"
>;

// Marks, inside the channel word until assemble() clears it, an option from a channel-less row:
// merging a customer's runs needs it.
const GENERIC = 1 << 30;
const CHANNEL = GENERIC - 1;
const SIDE_CHUNK = 1 << 16;

interface Store {
  offer: Int32Array;
  channel: Int32Array;
  ret: Float64Array;
  cost: Float64Array;
}

function allocStore(size: number): Store {
  return {
    offer: new Int32Array(size),
    channel: new Int32Array(size),
    ret: new Float64Array(size),
    cost: new Float64Array(size),
  };
}

/**
 * The instance's own arrays, in shared memory: the optimiser's worker threads (src/optimize/
 * pass-pool.ts) then read them where they are, where a plain array would be copied, at 1M
 * customers ~400 MB. A shared buffer is zero pages until written, like a plain one.
 */
function allocSharedStore(size: number): Store {
  return {
    offer: new Int32Array(new SharedArrayBuffer(4 * size)),
    channel: new Int32Array(new SharedArrayBuffer(4 * size)),
    ret: new Float64Array(new SharedArrayBuffer(8 * size)),
    cost: new Float64Array(new SharedArrayBuffer(8 * size)),
  };
}

export class OptionExpander {
  private readonly nO: number;
  private readonly nC: number;
  // the current run: its customer and, per offer, the channel-less row, per (offer, channel) the
  // row naming the channel
  private current = -1;
  private readonly touched: Int32Array;
  private numTouched = 0;
  private readonly inRun: Uint8Array;
  private readonly genericP: Float64Array;
  private readonly genericV: Float64Array;
  private readonly genericC: Float64Array;
  private readonly hasGeneric: Uint8Array;
  private readonly specificP: Float64Array;
  private readonly specificV: Float64Array;
  private readonly specificC: Float64Array;
  private readonly hasSpecific: Uint8Array;

  /** the instance's arrays, in-order runs at the front */
  private main: Store;
  private mainFill = 0;
  private highestId = -1;
  private readonly side: Store[] = [];
  private sideFill = SIDE_CHUNK;

  // runs, listed per customer: first and last run by database id, next run of the same customer;
  // a run's store is −1 for main, else the side chunk's index
  private readonly firstRun: Int32Array;
  private readonly lastRun: Int32Array;
  private runStore: Int32Array;
  private runStart: Int32Array;
  private runLength: Int32Array;
  private runNext: Int32Array;
  private numRuns = 0;
  private splitCount = 0;
  private sideRuns = 0;

  constructor(
    private readonly catalog: ExpanderCatalog,
    private readonly customers: CustomerTable,
    expectedCustomers: number,
    /** an upper bound on the options, from the table statistics; exceeding it costs a copy */
    expectedOptions: number,
  ) {
    this.nO = catalog.numOffers;
    this.nC = catalog.numChannels;
    const cells = this.nO * this.nC;
    this.touched = new Int32Array(this.nO);
    this.inRun = new Uint8Array(this.nO);
    this.genericP = new Float64Array(this.nO);
    this.genericV = new Float64Array(this.nO);
    this.genericC = new Float64Array(this.nO);
    this.hasGeneric = new Uint8Array(this.nO);
    this.specificP = new Float64Array(cells);
    this.specificV = new Float64Array(cells);
    this.specificC = new Float64Array(cells);
    this.hasSpecific = new Uint8Array(cells);
    const ids = customers.segmentOfId.length;
    this.firstRun = new Int32Array(ids).fill(-1);
    this.lastRun = new Int32Array(ids).fill(-1);
    const runs = expectedCustomers + 1024;
    this.runStore = new Int32Array(runs);
    this.runStart = new Int32Array(runs);
    this.runLength = new Int32Array(runs);
    this.runNext = new Int32Array(runs);
    this.main = allocSharedStore(Math.max(1024, expectedOptions));
  }

  /** One score row, offer and channel as catalog indexes (channel −1: every channel), cost NaN = the channel's. */
  row(
    customerId: number,
    offer: number,
    channel: number,
    probability: number,
    value: number,
    cost: number,
  ): void {
    if (customerId !== this.current) {
      this.endRun();
      this.current = customerId;
    }
    if (!this.inRun[offer]) {
      this.inRun[offer] = 1;
      this.touched[this.numTouched++] = offer;
    }
    if (channel < 0) {
      this.genericP[offer] = probability;
      this.genericV[offer] = value;
      this.genericC[offer] = cost;
      this.hasGeneric[offer] = 1;
    } else {
      const cell = offer * this.nC + channel;
      this.specificP[cell] = probability;
      this.specificV[cell] = value;
      this.specificC[cell] = cost;
      this.hasSpecific[cell] = 1;
    }
  }

  /** customers whose rows came in more than one run, and runs that came out of customer order */
  get stats(): { splitCustomers: number; sideRuns: number } {
    return { splitCustomers: this.splitCount, sideRuns: this.sideRuns };
  }

  private endRun(): void {
    const n = this.numTouched;
    if (n === 0) return;
    this.numTouched = 0;
    const id = this.current;
    const nC = this.nC;
    const touched = this.touched;
    if (this.customers.doNotContactOfId[id]) {
      for (let a = 0; a < n; a++) {
        const j = touched[a]!;
        for (let c = 0; c < nC; c++) this.hasSpecific[j * nC + c] = 0;
        this.hasGeneric[j] = 0;
        this.inRun[j] = 0;
      }
      return;
    }
    // offers in index order; a run holds a handful
    for (let a = 1; a < n; a++) {
      const j = touched[a]!;
      let b = a - 1;
      while (b >= 0 && touched[b]! > j) {
        touched[b + 1] = touched[b]!;
        b--;
      }
      touched[b + 1] = j;
    }
    const most = n * nC;
    let store: Store;
    let storeIndex: number;
    let start: number;
    if (id > this.highestId) {
      if (this.mainFill + most > this.main.offer.length)
        this.main = grown(this.main, this.mainFill, 2 * (this.mainFill + most));
      this.highestId = id;
      store = this.main;
      storeIndex = -1;
      start = this.mainFill;
    } else {
      const last = this.side[this.side.length - 1];
      if (!last || this.sideFill + most > last.offer.length) {
        this.side.push(allocStore(Math.max(SIDE_CHUNK, most)));
        this.sideFill = 0;
      }
      store = this.side[this.side.length - 1]!;
      storeIndex = this.side.length - 1;
      start = this.sideFill;
    }
    const { offer: offerOut, channel: channelOut, ret: retOut, cost: costOut } = store;
    const { allowed, responseFactor, channelCost } = this.catalog;
    let at = start;
    for (let a = 0; a < n; a++) {
      const j = touched[a]!;
      const hasGeneric = this.hasGeneric[j]!;
      for (let c = 0; c < nC; c++) {
        const cell = j * nC + c;
        if (this.hasSpecific[cell]) {
          this.hasSpecific[cell] = 0;
          if (!allowed[cell]) continue;
          const cost = this.specificC[cell]!;
          offerOut[at] = j;
          channelOut[at] = c;
          retOut[at] = this.specificP[cell]! * this.specificV[cell]!;
          costOut[at] = Number.isNaN(cost) ? channelCost[c]! : cost;
          at++;
        } else if (hasGeneric && allowed[cell]) {
          const cost = this.genericC[j]!;
          offerOut[at] = j;
          channelOut[at] = c | GENERIC;
          retOut[at] = Math.min(1, this.genericP[j]! * responseFactor[c]!) * this.genericV[j]!;
          costOut[at] = Number.isNaN(cost) ? channelCost[c]! : cost;
          at++;
        }
      }
      this.hasGeneric[j] = 0;
      this.inRun[j] = 0;
    }
    if (at === start) return;
    if (storeIndex < 0) this.mainFill = at;
    else this.sideFill = at;
    this.addRun(id, storeIndex, start, at - start);
  }

  private addRun(id: number, store: number, start: number, length: number): void {
    if (this.numRuns === this.runStore.length) {
      // only when runs outnumber customers by more than the slack: scattered rows
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.runStore = grow(this.runStore);
      this.runStart = grow(this.runStart);
      this.runLength = grow(this.runLength);
      this.runNext = grow(this.runNext);
    }
    const r = this.numRuns++;
    this.runStore[r] = store;
    this.runStart[r] = start;
    this.runLength[r] = length;
    this.runNext[r] = -1;
    if (store >= 0) this.sideRuns++;
    const last = this.lastRun[id]!;
    if (last >= 0) {
      if (this.firstRun[id] === last) this.splitCount++;
      this.runNext[last] = r;
    } else this.firstRun[id] = r;
    this.lastRun[id] = r;
  }

  /**
   * The instance's customers (ascending database id) and options (per customer by offer, then
   * channel). Call once, after the last row and with the customers table complete.
   */
  assemble(): ExpandedOptions {
    this.endRun();
    this.current = -1;
    const { segmentOfId, doNotContactOfId } = this.customers;
    let numCustomers = 0;
    for (let id = 0; id < segmentOfId.length; id++) if (segmentOfId[id] !== ABSENT) numCustomers++;
    const customerKey = new Int32Array(numCustomers);
    const customerSegment = new Int32Array(numCustomers);
    const custStart = new Int32Array(new SharedArrayBuffer(4 * (numCustomers + 1)));
    // final position of each in-order run that stays, −1 for the others
    const runFinal = new Int32Array(this.numRuns).fill(-1);
    // customers filled from elsewhere: their final position and their options
    const copies: Array<{ at: number; from: Store; start: number; length: number }> = [];
    let total = 0;
    let i = 0;
    for (let id = 0; id < segmentOfId.length; id++) {
      const segment = segmentOfId[id]!;
      if (segment === ABSENT) continue;
      customerKey[i] = id;
      customerSegment[i] = segment;
      const r = this.firstRun[id]!;
      if (r >= 0 && !doNotContactOfId[id]) {
        if (this.runNext[r]! >= 0) {
          const merged = this.merge(r);
          copies.push({ at: total, from: merged, start: 0, length: merged.offer.length });
          total += merged.offer.length;
        } else if (this.runStore[r]! >= 0) {
          const length = this.runLength[r]!;
          copies.push({
            at: total,
            from: this.side[this.runStore[r]!]!,
            start: this.runStart[r]!,
            length,
          });
          total += length;
        } else {
          runFinal[r] = total;
          total += this.runLength[r]!;
        }
      }
      custStart[++i] = total;
    }
    if (total > this.main.offer.length) this.main = grown(this.main, this.mainFill, total);
    this.slideMainRuns(runFinal);
    const m = this.main;
    for (const c of copies) {
      const end = c.start + c.length;
      m.offer.set(c.from.offer.subarray(c.start, end), c.at);
      m.channel.set(c.from.channel.subarray(c.start, end), c.at);
      m.ret.set(c.from.ret.subarray(c.start, end), c.at);
      m.cost.set(c.from.cost.subarray(c.start, end), c.at);
    }
    const channel = m.channel;
    for (let k = 0; k < total; k++) channel[k] = channel[k]! & CHANNEL;
    this.side.length = 0;
    return {
      numCustomers,
      customerKey,
      customerSegment,
      custStart,
      optOffer: m.offer.subarray(0, total),
      optChannel: m.channel.subarray(0, total),
      optReturn: m.ret.subarray(0, total),
      optCost: m.cost.subarray(0, total),
    };
  }

  /**
   * Moves the in-order runs that stay to their final positions, in blocks of runs that keep
   * their distance. Blocks moving left go first, front to back, then blocks moving right, back to
   * front: neither then overwrites a run that has yet to move (both layouts keep the runs' order).
   */
  private slideMainRuns(runFinal: Int32Array): void {
    const blockFrom: number[] = [];
    const blockTo: number[] = [];
    const blockLength: number[] = [];
    for (let r = 0; r < this.numRuns; r++) {
      const to = runFinal[r]!;
      if (to < 0) continue;
      const from = this.runStart[r]!;
      const length = this.runLength[r]!;
      const b = blockFrom.length - 1;
      if (
        b >= 0 &&
        blockFrom[b]! + blockLength[b]! === from &&
        blockTo[b]! + blockLength[b]! === to
      )
        blockLength[b]! += length;
      else {
        blockFrom.push(from);
        blockTo.push(to);
        blockLength.push(length);
      }
    }
    const m = this.main;
    const move = (b: number) => {
      const from = blockFrom[b]!;
      const end = from + blockLength[b]!;
      const to = blockTo[b]!;
      m.offer.copyWithin(to, from, end);
      m.channel.copyWithin(to, from, end);
      m.ret.copyWithin(to, from, end);
      m.cost.copyWithin(to, from, end);
    };
    for (let b = 0; b < blockFrom.length; b++) if (blockTo[b]! < blockFrom[b]!) move(b);
    for (let b = blockFrom.length - 1; b >= 0; b--) if (blockTo[b]! > blockFrom[b]!) move(b);
  }

  /** One customer's runs as one: per (offer, channel) the option from a row naming the channel wins. */
  private merge(first: number): Store {
    const picked = new Map<number, { store: Store; at: number }>();
    for (let r = first; r >= 0; r = this.runNext[r]!) {
      const s = this.runStore[r]! < 0 ? this.main : this.side[this.runStore[r]!]!;
      for (let at = this.runStart[r]!; at < this.runStart[r]! + this.runLength[r]!; at++) {
        const cell = s.offer[at]! * this.nC + (s.channel[at]! & CHANNEL);
        const had = picked.get(cell);
        if (!had || had.store.channel[had.at]! & GENERIC) picked.set(cell, { store: s, at });
      }
    }
    const cells = [...picked.keys()].sort((a, b) => a - b);
    const out = allocStore(cells.length);
    cells.forEach((cell, k) => {
      const { store, at } = picked.get(cell)!;
      out.offer[k] = store.offer[at]!;
      out.channel[k] = store.channel[at]!;
      out.ret[k] = store.ret[at]!;
      out.cost[k] = store.cost[at]!;
    });
    return out;
  }
}

function grown(s: Store, used: number, size: number): Store {
  const t = allocSharedStore(size);
  t.offer.set(s.offer.subarray(0, used));
  t.channel.set(s.channel.subarray(0, used));
  t.ret.set(s.ret.subarray(0, used));
  t.cost.set(s.cost.subarray(0, used));
  return t;
}
