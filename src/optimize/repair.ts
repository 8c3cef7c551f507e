// Restores feasibility with the least loss: one violated row at a time, every customer in scope
// proposes the moves (drop, add, swap) that push that row back, ranked by loss per unit of
// repair; the loss is measured in reduced value at the given prices with the repaired row's own
// price removed, i.e. by what the rest of the plan's resources are worth. This is the parametric
// step of raising the violated row's price until it holds.
//
// A move is accepted if it leaves no other row newly violated or worse ("strict"); if the row
// cannot be fixed that way, a second sweep tries compound moves: the move plus, for each other
// row it pushes past its bound, releases by other customers that take that row back (an exchange
// across customers, e.g. when the branch is full and a segment needs more branch contacts), kept
// only if no other row ends worse. Violation only ever falls, so the loop ends; if it stalls above
// zero with a scope, it is retried on every customer, and if it still stalls the caller reports
// infeasibility.

import { priceTable, type ObjectiveWeights } from "./lagrangian";
import { argsortAsc } from "./sort";
import { CandidateList, MoveBuffer, Stamp, widestCustomer } from "./moves";
import type { PlanState } from "./plan-state";
import { NEVER, type StopCheck } from "./stop";

export interface RepairOptions {
  weights: ObjectiveWeights;
  /** prices (≤-form, ≥ 0) that value resources; absent = judge losses by the objective alone */
  lambda?: Float64Array;
  maxRounds?: number;
  /** candidate moves kept per customer and row (default 3) */
  perCustomer?: number;
  /** customers to take moves from (index order); absent = all */
  scope?: Int32Array;
  stop?: StopCheck;
}

export interface RepairOutcome {
  feasible: boolean;
  moves: number;
  rounds: number;
}

export function totalViolation(state: PlanState): number {
  let v = 0;
  for (let j = 0; j < state.cp.m; j++) {
    const over = state.over(j) - state.tolerance(j);
    if (over > 0) v += over / state.cp.unit[j];
  }
  return v;
}

export function repair(state: PlanState, opts: RepairOptions): RepairOutcome {
  if (state.feasible()) return { feasible: true, moves: 0, rounds: 0 };
  const first = repairWithin(state, opts);
  if (first.feasible || opts.scope === undefined) return first;
  const again = repairWithin(state, { ...opts, scope: undefined });
  return {
    feasible: again.feasible,
    moves: first.moves + again.moves,
    rounds: first.rounds + again.rounds,
  };
}

function repairWithin(state: PlanState, opts: RepairOptions): RepairOutcome {
  const { cp } = state;
  const maxRounds = opts.maxRounds ?? 20 + 4 * cp.m;
  const ctx = new RowRepair(state, opts);
  let moves = 0;
  let rounds = 0;
  const stuck = new Uint8Array(cp.m);
  while (rounds < maxRounds) {
    opts.stop?.poll();
    const violated = state.violatedRows();
    if (violated.length === 0) break;
    // worst row first, skipping rows that could not be moved last time
    let j = -1;
    let worst = -Infinity;
    for (const r of violated) {
      if (stuck[r]) continue;
      const v = (state.over(r) - state.tolerance(r)) / cp.unit[r];
      if (v > worst) {
        worst = v;
        j = r;
      }
    }
    if (j < 0) break;
    rounds++;
    let n = ctx.run(j, true);
    if (state.isViolated(j)) n += ctx.run(j, false);
    moves += n;
    if (n === 0) stuck[j] = 1;
    else stuck.fill(0);
  }
  // activities are updated move by move (exact for counts, ~1e-15 relative drift for money,
  // far inside the 1e-10 feasibility tolerance), so no recomputation pass is needed here
  return { feasible: state.feasible(), moves, rounds };
}

class RowRepair {
  private readonly buf: MoveBuffer;
  private readonly moved: Stamp;
  private readonly val: Float64Array;
  private readonly aj: Float64Array;

  constructor(
    private readonly state: PlanState,
    private readonly opts: RepairOptions,
  ) {
    const widest = widestCustomer(state);
    this.buf = new MoveBuffer(widest, state.cp.maxOffersPerCustomer);
    this.moved = new Stamp(state.inst.numCustomers);
    this.val = new Float64Array(widest);
    this.aj = new Float64Array(widest);
  }

  /**
   * Candidate moves that lower row j (sign·a_j), ranked by reduced value lost per unit (key,
   * ascending), at most `keep` per customer. With `filter`, moves the current state would reject
   * (another row newly violated or worse) are left out here rather than at application, so a
   * customer's rejected favourites cannot crowd out its usable moves.
   */
  private candidates(j: number, keep: number, filter: boolean, out: CandidateList): void {
    const { state, opts, buf, val, aj } = this;
    const { inst, cp } = state;
    const stop = opts.stop ?? NEVER;
    const lambda = Float64Array.from(opts.lambda ?? new Float64Array(cp.m));
    lambda[j] = 0;
    const { alpha, beta, phi, adj } = priceTable(cp, lambda, opts.weights);
    const extra = cp.extraRow.indexOf(j);
    const ej = extra >= 0 ? cp.extraCoef[extra] : null;
    const sj = cp.sign[j];
    const cr = cp.coefR[j];
    const cc = cp.coefC[j];
    const m = cp.m;
    const F = cp.groupF;
    const r = inst.optReturn;
    const c = inst.optCost;
    const grp = cp.optGroup;
    const bestKey = new Float64Array(keep);
    const bestIdx = new Int32Array(keep);
    const touches = new Uint8Array(cp.numGroups);
    for (let g = 0; g < cp.numGroups; g++) touches[g] = F[g * m + j] !== 0 ? 1 : 0;
    const isPq = cr !== 0 || cc !== 0 || ej !== null;
    const scope = opts.scope;
    const nScope = scope ? scope.length : inst.numCustomers;
    out.clear();
    for (let u = 0; u < nScope; u++) {
      stop.every(u);
      const i = scope ? scope[u] : u;
      const s = inst.custStart[i];
      const e = inst.custStart[i + 1];
      if (s === e) continue;
      let relevant = isPq;
      for (let p = s; p < e && !relevant; p++) if (touches[grp[p]]) relevant = true;
      if (!relevant) continue;
      for (let p = s; p < e; p++) {
        const g = grp[p];
        val[p - s] = alpha * r[p] + beta * c[p] - phi[g] - (adj === null ? 0 : adj[p]);
        aj[p - s] = sj * (cr * r[p] + cc * c[p] + F[g * m + j] + (ej === null ? 0 : ej[p]));
      }
      const n = buf.load(state, i);
      let kept = 0;
      for (let t = 0; t < n; t++) {
        const d = buf.drop[t];
        const a = buf.add[t];
        let rho = 0;
        let loss = 0;
        if (d >= 0) {
          rho += aj[d - s];
          loss += val[d - s];
        }
        if (a >= 0) {
          rho -= aj[a - s];
          loss -= val[a - s];
        }
        if (rho <= 1e-12) continue;
        const key = loss / rho;
        let w = 0;
        if (kept === keep) {
          for (let q = 1; q < keep; q++) if (bestKey[q] > bestKey[w]) w = q;
          if (key >= bestKey[w]) continue;
        }
        if (filter) {
          state.prepare(d, a);
          if (!state.preparedNoWorse(j)) continue;
        }
        if (kept < keep) w = kept++;
        bestKey[w] = key;
        bestIdx[w] = t;
      }
      for (let q = 0; q < kept; q++)
        out.push(i, buf.drop[bestIdx[q]], buf.add[bestIdx[q]], bestKey[q]);
    }
  }

  /** One sweep over the scope for row j; returns the number of moves applied. */
  run(j: number, strict: boolean): number {
    if (strict) return this.runStrict(j);
    const n = this.runCompound(j, false);
    return n > 0 || !this.state.isViolated(j) ? n : this.runCompound(j, true);
  }

  /** Moves that leave every other row no worse. */
  private runStrict(j: number): number {
    const { state, moved } = this;
    const cands = new CandidateList(4096);
    this.candidates(j, this.opts.perCustomer ?? 3, true, cands);
    if (cands.n === 0) return 0;
    const sj = state.cp.sign[j];
    const order = argsortAsc(cands.key, cands.n);
    moved.next();
    let applied = 0;
    const stop = this.opts.stop ?? NEVER;
    for (let t = 0; t < order.length; t++) {
      stop.every(t);
      if (!state.isViolated(j)) break;
      const k = order[t];
      const i = cands.cust[k];
      if (moved.has(i)) continue;
      const d = cands.drop[k];
      const a = cands.add[k];
      state.prepare(d, a);
      if (sj * state.deltaOf(j) >= 0 || !state.preparedNoWorse(j)) continue;
      state.apply(i, d, a);
      moved.set(i);
      applied++;
    }
    return applied;
  }

  /**
   * A move on row j that overfills other rows, followed by releases by other customers that take
   * each of those rows back to where it was (a two- or three-customer exchange, e.g. a segment's
   * branch contact in and another segment's branch contact out when the branch is full). Kept
   * only if every other row ends no worse than before, so violation is never shifted around.
   * With `shift`, as a last resort, kept if the total normalised violation falls instead (other
   * rows may then be repaired next).
   */
  private runCompound(j: number, shift: boolean): number {
    const { state, moved } = this;
    const { cp } = state;
    const cands = new CandidateList(4096);
    this.candidates(j, Math.max(6, this.opts.perCustomer ?? 3), false, cands);
    if (cands.n === 0) return 0;
    const sj = cp.sign[j];
    const order = argsortAsc(cands.key, cands.n);
    const releases = new Map<number, { list: CandidateList; order: Int32Array; cursor: number }>();
    const releasesFor = (k: number) => {
      let rel = releases.get(k);
      if (rel === undefined) {
        const list = new CandidateList(1024);
        this.candidates(k, 2, true, list);
        rel = { list, order: argsortAsc(list.key, list.n), cursor: 0 };
        releases.set(k, rel);
      }
      // skip releases whose customer a committed compound has used
      while (rel.cursor < rel.order.length && moved.has(rel.list.cust[rel.order[rel.cursor]])) {
        rel.cursor++;
      }
      return rel;
    };
    // how far past its bound each row may be (its level before the compound move)
    const allowed = new Float64Array(cp.m);
    const worse = (k: number) => state.over(k) - state.tolerance(k) > allowed[k] + 1e-12;
    moved.next();
    let applied = 0;
    let failures = 0;
    const logC: number[] = [];
    const logD: number[] = [];
    const logA: number[] = [];
    const doMove = (i: number, d: number, a: number) => {
      state.apply(i, d, a);
      logC.push(i);
      logD.push(d);
      logA.push(a);
    };
    const stop = this.opts.stop ?? NEVER;
    for (let t = 0; t < order.length && failures < 500; t++) {
      stop.every(t);
      if (!state.isViolated(j)) break;
      const k0 = order[t];
      const i0 = cands.cust[k0];
      if (moved.has(i0)) continue;
      const d0 = cands.drop[k0];
      const a0 = cands.add[k0];
      if ((d0 >= 0 && !state.selected[d0]) || (a0 >= 0 && !state.canAdd(i0, a0, d0))) continue;
      state.prepare(d0, a0);
      if (sj * state.deltaOf(j) >= 0) continue;
      for (let k = 0; k < cp.m; k++) allowed[k] = Math.max(0, state.over(k) - state.tolerance(k));
      const before = shift ? totalViolation(state) : 0;
      logC.length = 0;
      logD.length = 0;
      logA.length = 0;
      doMove(i0, d0, a0);
      let ok = true;
      for (let k = 0; k < cp.m && ok; k++) {
        // releases for row k until it is back to its level (at most three)
        for (let tries = 0; k !== j && worse(k) && tries < 3; tries++) {
          const rel = releasesFor(k);
          let found = false;
          for (let z = rel.cursor; z < rel.order.length && z < rel.cursor + 64 && !found; z++) {
            const q = rel.order[z];
            const ri = rel.list.cust[q];
            if (moved.has(ri) || logC.includes(ri)) continue;
            const d = rel.list.drop[q];
            const a = rel.list.add[q];
            if ((d >= 0 && !state.selected[d]) || (a >= 0 && !state.canAdd(ri, a, d))) continue;
            state.prepare(d, a);
            if (cp.sign[k] * state.deltaOf(k) >= 0 || sj * state.deltaOf(j) > 0) continue;
            doMove(ri, d, a);
            // the release may not push an earlier row back out
            let fine = true;
            for (let x = 0; x < k && fine; x++) if (x !== j && worse(x)) fine = false;
            if (fine) found = true;
            else {
              state.apply(ri, a, d);
              logC.pop();
              logD.pop();
              logA.pop();
            }
          }
          if (!found) break;
        }
        if (k !== j && worse(k)) ok = false;
      }
      const better = shift
        ? totalViolation(state) < before - 1e-12
        : ok && state.over(j) < allowed[j] - 1e-12;
      if (better) {
        for (const i of logC) moved.set(i);
        applied += logC.length;
        failures = 0;
      } else {
        for (let u = logC.length - 1; u >= 0; u--) state.apply(logC[u], logA[u], logD[u]);
        failures++;
      }
    }
    return applied;
  }
}
