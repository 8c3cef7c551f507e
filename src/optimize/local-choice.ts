// One customer's best selection at given reduced values under the per-customer rules: at most M
// options, each offer once, and at most cap_i options inside each local class (fatigue windows
// with room left, mutual exclusions). Classes over channels cross the one-per-offer rule, so a
// greedy pick is not always optimal; a depth-first search over the options with positive value,
// best first, pruned by the sum of the next best values, is exact and cheap for the few options
// (≤ offers × channels) and slots (M) a customer has. Exactness keeps exact mode's bound certified.

import type { Instance } from "./instance";
import type { LocalClass } from "./policies";

export interface LocalChoice {
  n: number;
  chosen: Int32Array;
  values: Float64Array;
  /** value lost by the cheapest single change (for scope.ts), approximate */
  margin: number;
}

export class LocalChooser {
  private readonly candP: Int32Array;
  private readonly candV: Float64Array;
  private readonly cur: Int32Array;
  private readonly best: Int32Array;
  private readonly offerUsed: Uint8Array;
  private readonly classUsed: Int32Array;
  private readonly out: LocalChoice;
  private nc = 0;
  private M = 0;
  private bestN = 0;
  private bestV = 0;
  private i = 0;
  private classes: LocalClass[] = [];
  private inst: Instance | null = null;

  constructor(
    widest: number,
    numOffers: number,
    private readonly numChannels: number,
  ) {
    this.candP = new Int32Array(widest + 1);
    this.candV = new Float64Array(widest + 1);
    this.cur = new Int32Array(widest + 1);
    this.best = new Int32Array(widest + 1);
    this.offerUsed = new Uint8Array(numOffers);
    this.classUsed = new Int32Array(64);
    this.out = {
      n: 0,
      chosen: new Int32Array(widest + 1),
      values: new Float64Array(widest + 1),
      margin: 0,
    };
  }

  choose(
    i: number,
    s: number,
    e: number,
    M: number,
    classes: LocalClass[],
    inst: Instance,
    value: (p: number) => number,
  ): LocalChoice {
    this.i = i;
    this.M = M;
    this.classes = classes;
    this.inst = inst;
    if (this.classUsed.length < classes.length) throw new Error("too many local classes");
    // candidates with positive value, sorted best first (insertion sort: a few dozen at most)
    let nc = 0;
    let top = -Infinity;
    for (let p = s; p < e; p++) {
      const v = value(p);
      if (v > top) top = v;
      if (v <= 0) continue;
      let t = nc++;
      while (t > 0 && this.candV[t - 1] < v) {
        this.candV[t] = this.candV[t - 1];
        this.candP[t] = this.candP[t - 1];
        t--;
      }
      this.candV[t] = v;
      this.candP[t] = p;
    }
    this.nc = nc;
    this.bestN = 0;
    this.bestV = 0;
    this.offerUsed.fill(0);
    this.classUsed.fill(0);
    this.search(0, 0, 0);
    const out = this.out;
    out.n = this.bestN;
    let minSel = Infinity;
    for (let q = 0; q < this.bestN; q++) {
      const t = this.best[q];
      out.chosen[q] = this.candP[t];
      out.values[q] = this.candV[t];
      if (this.candV[t] < minSel) minSel = this.candV[t];
    }
    // best value left out, for an approximate margin (scope ordering only)
    let bestOut = 0;
    for (let t = 0; t < nc; t++) {
      let inBest = false;
      for (let q = 0; q < this.bestN; q++) if (this.best[q] === t) inBest = true;
      if (!inBest) {
        bestOut = this.candV[t];
        break;
      }
    }
    out.margin = this.bestN > 0 ? minSel - bestOut : s < e ? -top : Infinity;
    return out;
  }

  private search(from: number, taken: number, sum: number): void {
    if (sum > this.bestV) {
      this.bestV = sum;
      this.bestN = taken;
      for (let q = 0; q < taken; q++) this.best[q] = this.cur[q];
    }
    if (taken === this.M) return;
    // bound: the next (M − taken) values, best first
    let bound = sum;
    for (let t = from, k = taken; t < this.nc && k < this.M; t++, k++) bound += this.candV[t];
    if (bound <= this.bestV) return;
    const inst = this.inst!;
    const K = this.numChannels;
    const C = this.classes.length;
    for (let t = from; t < this.nc; t++) {
      const p = this.candP[t];
      const o = inst.optOffer[p];
      if (this.offerUsed[o]) continue;
      const cell = o * K + inst.optChannel[p];
      let ok = true;
      for (let c = 0; c < C && ok; c++) {
        const cl = this.classes[c];
        if (cl.mask[cell] && this.classUsed[c] + 1 > cl.cap[this.i]) ok = false;
      }
      if (!ok) continue;
      // remaining bound from t on: stop when even the best continuation cannot win
      let b = sum;
      for (let u = t, k = taken; u < this.nc && k < this.M; u++, k++) b += this.candV[u];
      if (b <= this.bestV) return;
      this.offerUsed[o] = 1;
      for (let c = 0; c < C; c++) if (this.classes[c].mask[cell]) this.classUsed[c]++;
      this.cur[taken] = t;
      this.search(t + 1, taken + 1, sum + this.candV[t]);
      this.offerUsed[o] = 0;
      for (let c = 0; c < C; c++) if (this.classes[c].mask[cell]) this.classUsed[c]--;
    }
  }
}

/**
 * A household's best selection at given reduced values: every member as in LocalChooser, and at
 * most `limit` options over all members. Exact (depth-first search best first, pruned by the
 * next best values), so a Lagrangian pass that uses it keeps its value an upper bound.
 */
export class GroupChooser {
  private candP: Int32Array;
  private candV: Float64Array;
  private candM: Int32Array;
  private cur: Int32Array;
  private best: Int32Array;
  private memberCount: Int32Array;
  private readonly offerUsed: Uint8Array;
  private classUsed: Int32Array;
  private nc = 0;
  private bestN = 0;
  private bestV = 0;
  private limit = 0;
  private M = 0;
  private members: Int32Array = new Int32Array(0);
  private classes: LocalClass[] = [];
  private inst: Instance | null = null;
  readonly chosen: Int32Array;
  readonly values: Float64Array;
  n = 0;
  margin = 0;

  constructor(
    private readonly numOffers: number,
    private readonly numChannels: number,
  ) {
    this.candP = new Int32Array(64);
    this.candV = new Float64Array(64);
    this.candM = new Int32Array(64);
    this.cur = new Int32Array(64);
    this.best = new Int32Array(64);
    this.memberCount = new Int32Array(16);
    this.offerUsed = new Uint8Array(16 * numOffers);
    this.classUsed = new Int32Array(16 * 8);
    this.chosen = new Int32Array(64);
    this.values = new Float64Array(64);
  }

  choose(
    members: Int32Array,
    limit: number,
    M: number,
    classes: LocalClass[],
    inst: Instance,
    value: (p: number) => number,
  ): void {
    const G = members.length;
    if (G > this.memberCount.length || classes.length * G > this.classUsed.length) {
      this.memberCount = new Int32Array(Math.max(G, this.memberCount.length * 2));
      this.classUsed = new Int32Array(Math.max(G * classes.length, this.classUsed.length * 2));
    }
    if (G * this.numOffers > this.offerUsed.length) throw new Error("household too large");
    let nc = 0;
    let top = -Infinity;
    for (let m = 0; m < G; m++) {
      const i = members[m];
      for (let p = inst.custStart[i]; p < inst.custStart[i + 1]; p++) {
        const v = value(p);
        if (v > top) top = v;
        if (v <= 0) continue;
        if (nc === this.candP.length) this.grow();
        let t = nc++;
        while (t > 0 && this.candV[t - 1] < v) {
          this.candV[t] = this.candV[t - 1];
          this.candP[t] = this.candP[t - 1];
          this.candM[t] = this.candM[t - 1];
          t--;
        }
        this.candV[t] = v;
        this.candP[t] = p;
        this.candM[t] = m;
      }
    }
    this.nc = nc;
    this.limit = limit;
    this.M = M;
    this.members = members;
    this.classes = classes;
    this.inst = inst;
    this.bestN = 0;
    this.bestV = 0;
    this.memberCount.fill(0, 0, G);
    this.offerUsed.fill(0, 0, G * this.numOffers);
    this.classUsed.fill(0, 0, G * classes.length);
    this.search(0, 0, 0);
    let minSel = Infinity;
    for (let q = 0; q < this.bestN; q++) {
      const t = this.best[q];
      this.chosen[q] = this.candP[t];
      this.values[q] = this.candV[t];
      minSel = Math.min(minSel, this.candV[t]);
    }
    this.n = this.bestN;
    let bestOut = 0;
    for (let t = 0; t < nc && bestOut === 0; t++) {
      let inBest = false;
      for (let q = 0; q < this.bestN; q++) if (this.best[q] === t) inBest = true;
      if (!inBest) bestOut = this.candV[t];
    }
    this.margin = this.bestN > 0 ? minSel - bestOut : top > -Infinity ? -top : Infinity;
  }

  private grow(): void {
    const cap = this.candP.length * 2;
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    const f64 = new Float64Array(cap);
    f64.set(this.candV);
    this.candP = i32(this.candP);
    this.candM = i32(this.candM);
    this.cur = i32(this.cur);
    this.best = i32(this.best);
    this.candV = f64;
  }

  private search(from: number, taken: number, sum: number): void {
    if (sum > this.bestV) {
      this.bestV = sum;
      this.bestN = taken;
      for (let q = 0; q < taken; q++) this.best[q] = this.cur[q];
    }
    if (taken === this.limit) return;
    const inst = this.inst!;
    const K = this.numChannels;
    const O = this.numOffers;
    const C = this.classes.length;
    for (let t = from; t < this.nc; t++) {
      let b = sum;
      for (let u = t, k = taken; u < this.nc && k < this.limit; u++, k++) b += this.candV[u];
      if (b <= this.bestV) return;
      const m = this.candM[t];
      if (this.memberCount[m] >= this.M) continue;
      const p = this.candP[t];
      const o = inst.optOffer[p];
      if (this.offerUsed[m * O + o]) continue;
      const cell = o * K + inst.optChannel[p];
      const i = this.members[m];
      let ok = true;
      for (let c = 0; c < C && ok; c++) {
        const cl = this.classes[c];
        if (cl.mask[cell] && this.classUsed[m * C + c] + 1 > cl.cap[i]) ok = false;
      }
      if (!ok) continue;
      this.memberCount[m]++;
      this.offerUsed[m * O + o] = 1;
      for (let c = 0; c < C; c++) if (this.classes[c].mask[cell]) this.classUsed[m * C + c]++;
      this.cur[taken] = t;
      this.search(t + 1, taken + 1, sum + this.candV[t]);
      this.memberCount[m]--;
      this.offerUsed[m * O + o] = 0;
      for (let c = 0; c < C; c++) if (this.classes[c].mask[cell]) this.classUsed[m * C + c]--;
    }
  }
}
