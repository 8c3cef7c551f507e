// A plan under construction: the selection plus every coupling row's activity, kept up to date
// move by move so that repair and polish can test a change against all constraints in a few
// lookups. A move is (drop p, add q) inside one customer, either side may be -1.

import type { Coupling } from "./coupling";
import type { Instance } from "./instance";
import { LocalState } from "./policies";

/** internal feasibility tolerance: stricter than evaluate.ts (1e-9) so drift cannot cross it */
const TOL = 1e-10;

export class PlanState {
  readonly selected: Uint8Array;
  readonly count: Uint8Array;
  readonly act: Float64Array;
  /** Σ |a_j| over the selection: the scale of row j's rounding error */
  readonly gross: Float64Array;
  totalR = 0;
  totalC = 0;
  contacts = 0;

  private readonly delta: Float64Array;
  private readonly deltaGross: Float64Array;
  private readonly touched: Int32Array;
  private readonly isTouched: Uint8Array;
  private nTouched = 0;
  private prepDrop = -1;
  private prepAdd = -1;
  /** live counts of the per-customer and household rules; null when there are none */
  readonly local: LocalState | null;

  /**
   * A selection from elsewhere (a disaggregated or priced plan) may break the per-customer and
   * household rules, which repair does not see as rows: the weakest contacts (by expected return)
   * that do are dropped first, and every later move keeps to the rules (canAdd).
   */
  constructor(
    readonly inst: Instance,
    readonly cp: Coupling,
    selected?: Uint8Array,
  ) {
    this.selected = selected ?? new Uint8Array(inst.optOffer.length);
    this.local = cp.local ? new LocalState(cp.local, inst) : null;
    if (this.local && selected) this.shedLocal();
    this.count = new Uint8Array(inst.numCustomers);
    this.act = new Float64Array(cp.m);
    this.gross = new Float64Array(cp.m);
    this.delta = new Float64Array(cp.m);
    this.deltaGross = new Float64Array(cp.m);
    this.touched = new Int32Array(cp.m);
    this.isTouched = new Uint8Array(cp.m);
    this.recompute();
  }

  /** Recomputes everything from the selection (after bulk edits, and to shed float drift). */
  recompute(): void {
    const inst = this.inst;
    this.act.fill(0);
    this.gross.fill(0);
    this.count.fill(0);
    this.totalR = 0;
    this.totalC = 0;
    this.contacts = 0;
    this.local?.reset();
    const sel = this.selected;
    const start = inst.custStart;
    // skip unselected options four at a time (most of a plan is zeros)
    const words =
      sel.byteOffset % 4 === 0
        ? new Uint32Array(sel.buffer, sel.byteOffset, sel.length >> 2)
        : null;
    let i = 0;
    const nOpt = sel.length;
    for (let p = 0; p < nOpt; p++) {
      if (words !== null && (p & 3) === 0 && p + 4 <= nOpt && words[p >> 2] === 0) {
        p += 3;
        continue;
      }
      if (!sel[p]) continue;
      while (start[i + 1] <= p) i++;
      this.count[i]++;
      this.contacts++;
      this.addContribution(p, 1, this.act, this.gross);
      this.local?.update(i, p, 1);
    }
  }

  /** Drops the options that break a local rule, weakest first, then recomputes. */
  private shedLocal(): void {
    const { inst, selected } = this;
    const local = this.local!;
    local.reset();
    const start = inst.custStart;
    const order: number[] = [];
    for (let i = 0; i < inst.numCustomers; i++) {
      for (let p = start[i]; p < start[i + 1]; p++) if (selected[p]) order.push(p);
    }
    // strongest first, so the contacts kept are the best ones
    order.sort((a, b) => inst.optReturn[b] - inst.optReturn[a] || a - b);
    selected.fill(0);
    const count = new Uint8Array(inst.numCustomers);
    for (const p of order) {
      // customer of p: binary search in custStart
      let lo = 0;
      let hi = inst.numCustomers - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (start[mid] <= p) lo = mid;
        else hi = mid - 1;
      }
      const i = lo;
      if (count[i] >= this.cp.maxOffersPerCustomer || !local.allows(i, p, -1)) continue;
      let dup = false;
      for (let q = start[i]; q < start[i + 1]; q++) {
        if (selected[q] && inst.optOffer[q] === inst.optOffer[p]) dup = true;
      }
      if (dup) continue;
      selected[p] = 1;
      count[i]++;
      local.update(i, p, 1);
    }
  }

  private addContribution(p: number, s: number, act: Float64Array, gross: Float64Array): void {
    const { inst, cp } = this;
    const r = inst.optReturn[p];
    const c = inst.optCost[p];
    if (act === this.act) {
      this.totalR += s * r;
      this.totalC += s * c;
    }
    for (let t = 0; t < cp.pqRows.length; t++) {
      const j = cp.pqRows[t];
      const a = cp.coefR[j] * r + cp.coefC[j] * c;
      act[j] += s * a;
      gross[j] += s * Math.abs(a);
    }
    const g = cp.optGroup[p];
    for (let t = cp.groupRowStart[g]; t < cp.groupRowStart[g + 1]; t++) {
      const j = cp.groupRowIndex[t];
      const f = cp.groupRowValue[t];
      act[j] += s * f;
      gross[j] += s * Math.abs(f);
    }
    for (let t = 0; t < cp.extraRow.length; t++) {
      const a = cp.extraCoef[t][p];
      if (a === 0) continue;
      const j = cp.extraRow[t];
      act[j] += s * a;
      gross[j] += s * Math.abs(a);
    }
  }

  tolerance(j: number): number {
    return TOL * Math.max(1, Math.abs(this.cp.rhs[j]), this.gross[j]);
  }

  /** σ_j (act_j − rhs_j): positive = row j is past its bound */
  over(j: number): number {
    return this.cp.sign[j] * (this.act[j] - this.cp.rhs[j]);
  }

  isViolated(j: number): boolean {
    return this.over(j) > this.tolerance(j);
  }

  /** rows currently past their bound */
  violatedRows(): number[] {
    const out: number[] = [];
    for (let j = 0; j < this.cp.m; j++) if (this.isViolated(j)) out.push(j);
    return out;
  }

  feasible(): boolean {
    for (let j = 0; j < this.cp.m; j++) if (this.isViolated(j)) return false;
    return true;
  }

  /**
   * Loads the row changes of the move (drop p, add q) into the scratch delta. Afterwards
   * `deltaOf(j)` gives row j's change and `touchedRows()` the rows that change.
   */
  prepare(drop: number, add: number): void {
    this.prepDrop = drop;
    this.prepAdd = add;
    for (let t = 0; t < this.nTouched; t++) {
      const j = this.touched[t];
      this.delta[j] = 0;
      this.deltaGross[j] = 0;
      this.isTouched[j] = 0;
    }
    this.nTouched = 0;
    if (drop >= 0) this.stage(drop, -1);
    if (add >= 0) this.stage(add, 1);
  }

  private stage(p: number, s: number): void {
    const { inst, cp } = this;
    const r = inst.optReturn[p];
    const c = inst.optCost[p];
    for (let t = 0; t < cp.pqRows.length; t++) {
      const j = cp.pqRows[t];
      const a = cp.coefR[j] * r + cp.coefC[j] * c;
      this.touch(j);
      this.delta[j] += s * a;
      this.deltaGross[j] += s * Math.abs(a);
    }
    const g = cp.optGroup[p];
    for (let t = cp.groupRowStart[g]; t < cp.groupRowStart[g + 1]; t++) {
      const j = cp.groupRowIndex[t];
      const f = cp.groupRowValue[t];
      this.touch(j);
      this.delta[j] += s * f;
      this.deltaGross[j] += s * Math.abs(f);
    }
    for (let t = 0; t < cp.extraRow.length; t++) {
      const a = cp.extraCoef[t][p];
      if (a === 0) continue;
      const j = cp.extraRow[t];
      this.touch(j);
      this.delta[j] += s * a;
      this.deltaGross[j] += s * Math.abs(a);
    }
  }

  private touch(j: number): void {
    if (!this.isTouched[j]) {
      this.isTouched[j] = 1;
      this.touched[this.nTouched++] = j;
    }
  }

  deltaOf(j: number): number {
    return this.delta[j];
  }

  touchedCount(): number {
    return this.nTouched;
  }

  touchedRow(t: number): number {
    return this.touched[t];
  }

  /** σ_j (act_j + δ_j − rhs_j) − tol after the prepared move: positive = violated */
  overAfter(j: number): number {
    const cp = this.cp;
    const tol = TOL * Math.max(1, Math.abs(cp.rhs[j]), this.gross[j] + this.deltaGross[j]);
    return cp.sign[j] * (this.act[j] + this.delta[j] - cp.rhs[j]) - tol;
  }

  /**
   * after prepare(): does the move keep to the per-customer and household rules? Moves are often
   * collected in a batch and applied later, when another member of the household may have moved.
   */
  preparedLocalOk(): boolean {
    const local = this.local;
    const add = this.prepAdd;
    if (local === null || add < 0) return true;
    const start = this.inst.custStart;
    let lo = 0;
    let hi = this.inst.numCustomers - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (start[mid] <= add) lo = mid;
      else hi = mid - 1;
    }
    return local.allows(lo, add, this.prepDrop);
  }

  /** after prepare(): does the move leave every touched row within its bound? */
  preparedFeasible(): boolean {
    if (!this.preparedLocalOk()) return false;
    for (let t = 0; t < this.nTouched; t++) {
      if (this.overAfter(this.touched[t]) > 0) return false;
    }
    return true;
  }

  /**
   * after prepare(): no touched row ends violated unless it was violated before, and no violated
   * row gets worse. `except` may get worse (the row being repaired is judged by the caller).
   */
  preparedNoWorse(except = -1): boolean {
    if (!this.preparedLocalOk()) return false;
    for (let t = 0; t < this.nTouched; t++) {
      const j = this.touched[t];
      if (j === except) continue;
      const after = this.overAfter(j);
      if (after <= 0) continue;
      const before = this.over(j) - this.tolerance(j);
      if (before <= 0 || this.cp.sign[j] * this.delta[j] > 0) return false;
    }
    return true;
  }

  /** Applies the move (drop p, add q) of customer i. */
  apply(i: number, drop: number, add: number): void {
    if (drop >= 0) {
      if (!this.selected[drop]) throw new Error(`option ${drop} is not selected`);
      this.selected[drop] = 0;
      this.addContribution(drop, -1, this.act, this.gross);
      this.count[i]--;
      this.contacts--;
      this.local?.update(i, drop, -1);
    }
    if (add >= 0) {
      if (this.selected[add]) throw new Error(`option ${add} is already selected`);
      this.selected[add] = 1;
      this.addContribution(add, 1, this.act, this.gross);
      this.count[i]++;
      this.contacts++;
      this.local?.update(i, add, 1);
    }
  }

  /** Can option q join customer i's selection next to `ignoring` (which leaves)? */
  canAdd(i: number, q: number, ignoring: number): boolean {
    const inst = this.inst;
    if (this.selected[q]) return false;
    const n = this.count[i] - (ignoring >= 0 ? 1 : 0);
    if (n >= this.cp.maxOffersPerCustomer) return false;
    const o = inst.optOffer[q];
    for (let p = inst.custStart[i]; p < inst.custStart[i + 1]; p++) {
      if (p !== ignoring && this.selected[p] && inst.optOffer[p] === o) return false;
    }
    return this.local === null || this.local.allows(i, q, ignoring);
  }
}
