// Contact policies compiled into the machinery every method already has, so that each rule is
// honoured by the cluster LP, the exact mode, the baseline and repair alike:
//
//  - rules that forbid single options (cool-off, sequencing, a fatigue window already full) take
//    those options out of the instance: no method can choose them, and the Lagrangian bound stays
//    a bound because the problem itself has shrunk;
//  - rules over a customer's own selection (fatigue with room left, mutual exclusion) become
//    "local classes": at most cap_i chosen options inside an (offer, channel) mask. Every move
//    (PlanState.canAdd, MoveBuffer) checks them and the Lagrangian pass solves each customer's
//    choice exactly under them, so exact mode's bound stays certified. With one offer per
//    customer they are all eligibility rules (a class with cap ≥ 1 cannot bind);
//  - household limits tie customers together in small groups: moves check them, a plan built
//    elsewhere sheds the weakest contacts of a full household first (enforceLocal), and the
//    Lagrangian pass ignores them, which keeps its value an upper bound (a relaxation);
//  - custom capacities are ordinary coupling rows with a per-option coefficient (coupling.ts),
//    priced by the LP and the Lagrangian like the budget.

import type { Instance, PlanConstraints } from "./instance";
import type { Policy } from "./policy-types";
import { ruleKind, type CompileContext } from "./rule-kinds";
import { NEVER, type StopCheck } from "./stop";

/** At most cap chosen options of one customer inside mask (O × K, offer-major). */
export interface LocalClass {
  name: string;
  mask: Uint8Array;
  /** per customer of the compiled instance; 255 = no limit */
  cap: Uint8Array;
}

export interface HouseholdLimit {
  name: string;
  limit: number;
  /** per customer of the compiled instance, -1 = alone */
  household: Int32Array;
  numHouseholds: number;
}

/** A custom-capacity row in ≤ / ≥ form: Σ coef(p)·x_p  sense  rhs. */
export interface ExtraRowSpec {
  name: string;
  sense: "LE" | "GE";
  rhs: number;
  /** per option of the compiled instance */
  coef: Float64Array;
}

export interface LocalRules {
  classes: LocalClass[];
  households: HouseholdLimit[];
  numOffers: number;
  numChannels: number;
}

export interface CompiledPolicies {
  /** the instance without the options the policies forbid (the input itself when none are) */
  inst: Instance;
  /** option of `inst` → option of the input instance; null when nothing was removed */
  origIndex: Int32Array | null;
  /** per input option: 0 = allowed, else 1 + the index (in cons.policies) of the rule forbidding it */
  blockedBy: Uint16Array | null;
  local: LocalRules | null;
  extraRows: ExtraRowSpec[];
  /** the same rows over the input instance's options */
  extraRowsInput: ExtraRowSpec[];
}

export { ALL, cellMask, customRowName, matches, measureOf } from "./option-filter";

export function enforced(cons: PlanConstraints): Policy[] {
  return (cons.policies ?? []).filter((p) => !p.reportOnly);
}

/** Checks the per-customer arrays against the instance (rules/); throws with the rule's name. */
export function validatePolicies(inst: Instance, cons: PlanConstraints): void {
  const fail = (p: Policy, what: string): never => {
    throw new Error(`invalid optimisation input: policy ${p.name}: ${what}`);
  };
  const names = new Set<string>();
  for (const p of cons.policies ?? []) {
    if (names.has(p.name)) fail(p, "duplicate name");
    names.add(p.name);
    const problem = ruleKind(p.kind).check(p, inst);
    if (problem !== null) fail(p, problem);
  }
}

export function compilePolicies(
  inst: Instance,
  cons: PlanConstraints,
  stop: StopCheck = NEVER,
): CompiledPolicies {
  const rules = cons.policies ?? [];
  const active = rules.map((p, idx) => ({ p, idx })).filter(({ p }) => !p.reportOnly);
  if (active.length === 0) {
    return {
      inst,
      origIndex: null,
      blockedBy: null,
      local: null,
      extraRows: [],
      extraRowsInput: [],
    };
  }
  const O = inst.offerIds.length;
  const K = inst.channelIds.length;
  const nOpt = inst.optOffer.length;
  const blockedBy = new Uint16Array(nOpt);
  const context = (idx: number): CompileContext => ({
    inst,
    n: inst.numCustomers,
    O,
    K,
    M: cons.maxOffersPerCustomer,
    stop,
    blockedBy,
    tag: idx + 1,
  });

  // 1. options no method may choose (blockedBy: first rule that forbids each)
  for (const { p, idx } of active) ruleKind(p.kind).forbid?.(p, context(idx));
  const { inst: cInst, origIndex } = withoutBlocked(inst, blockedBy, stop);

  // 2. per-customer classes (only where a customer may take more than one offer) and households
  const classes: LocalClass[] = [];
  const households: HouseholdLimit[] = [];
  for (const { p, idx } of active) {
    const kind = ruleKind(p.kind);
    const cl = kind.localClass?.(p, context(idx)) ?? null;
    if (cl !== null) classes.push(cl);
    const h = kind.household?.(p, context(idx)) ?? null;
    if (h !== null) households.push(h);
  }

  // 3. coupling rows (custom capacities), built over the input's options (the report prices
  // blocked options too) and then narrowed to the compiled instance's
  stop.poll();
  const extraRowsInput = active.flatMap(({ p }) => ruleKind(p.kind).rows?.(p, inst, stop) ?? []);
  stop.poll();
  const extraRows = extraRowsInput.map((x) => ({
    ...x,
    coef: origIndex === null ? x.coef : gather(x.coef, origIndex),
  }));

  const local =
    classes.length > 0 || households.length > 0
      ? { classes, households, numOffers: O, numChannels: K }
      : null;
  return {
    inst: cInst,
    origIndex,
    blockedBy: origIndex !== null ? blockedBy : null,
    local,
    extraRows,
    extraRowsInput,
  };
}

/** The instance without its blocked options, and where each kept option came from (null: none). */
function withoutBlocked(
  inst: Instance,
  blockedBy: Uint16Array,
  stop: StopCheck,
): { inst: Instance; origIndex: Int32Array | null } {
  const n = inst.numCustomers;
  const nOpt = inst.optOffer.length;
  const start = inst.custStart;
  let kept = 0;
  for (let p = 0; p < nOpt; p++) if (blockedBy[p] === 0) kept++;
  if (kept === nOpt) return { inst, origIndex: null };
  const origIndex = new Int32Array(kept);
  const custStart = new Int32Array(n + 1);
  const optOffer = new Int32Array(kept);
  const optChannel = new Int32Array(kept);
  const optReturn = new Float64Array(kept);
  const optCost = new Float64Array(kept);
  let w = 0;
  for (let i = 0; i < n; i++) {
    stop.every(i);
    custStart[i] = w;
    for (let p = start[i]; p < start[i + 1]; p++) {
      if (blockedBy[p] !== 0) continue;
      origIndex[w] = p;
      optOffer[w] = inst.optOffer[p];
      optChannel[w] = inst.optChannel[p];
      optReturn[w] = inst.optReturn[p];
      optCost[w++] = inst.optCost[p];
    }
  }
  custStart[n] = w;
  return { inst: { ...inst, custStart, optOffer, optChannel, optReturn, optCost }, origIndex };
}

function gather(src: Float64Array, index: Int32Array): Float64Array {
  const out = new Float64Array(index.length);
  for (let q = 0; q < index.length; q++) out[q] = src[index[q]];
  return out;
}

/** The households a limit can bind (more members × M than the limit), as compressed rows. */
export interface HouseholdGroups {
  start: Int32Array;
  members: Int32Array;
  /** per customer: 1 = in a household listed here */
  flag: Uint8Array;
}

const groupsMemo = new WeakMap<Int32Array, { M: number; groups: HouseholdGroups }>();

export function householdGroups(h: HouseholdLimit, M: number): HouseholdGroups {
  const memo = groupsMemo.get(h.household);
  if (memo && memo.M === M) return memo.groups;
  const n = h.household.length;
  const size = new Int32Array(h.numHouseholds);
  for (let i = 0; i < n; i++) if (h.household[i] >= 0) size[h.household[i]]++;
  const slot = new Int32Array(h.numHouseholds).fill(-1);
  const starts: number[] = [0];
  let total = 0;
  for (let g = 0; g < h.numHouseholds; g++) {
    if (size[g] * M <= h.limit) continue;
    slot[g] = starts.length - 1;
    total += size[g];
    starts.push(total);
  }
  const start = Int32Array.from(starts);
  const fill = start.slice(0, start.length - 1);
  const members = new Int32Array(total);
  const flag = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const g = h.household[i];
    if (g < 0 || slot[g] < 0) continue;
    members[fill[slot[g]]++] = i;
    flag[i] = 1;
  }
  const groups = { start, members, flag };
  groupsMemo.set(h.household, { M, groups });
  return groups;
}

/** Maps a selection over the compiled instance back to the input instance. */
export function expandSelection(c: CompiledPolicies, nOpt: number, sel: Uint8Array): Uint8Array {
  if (c.origIndex === null) return sel;
  const out = new Uint8Array(nOpt);
  for (let q = 0; q < sel.length; q++) if (sel[q]) out[c.origIndex[q]] = 1;
  return out;
}

/**
 * Live counts for the local rules of one plan: chosen options per customer and class, chosen
 * options per household. PlanState owns one and keeps it current.
 */
export class LocalState {
  /** customers × classes */
  readonly classCount: Uint8Array;
  readonly householdCount: Int32Array[];
  private readonly cellClasses: Int32Array[];

  constructor(
    readonly rules: LocalRules,
    readonly inst: Instance,
  ) {
    const C = rules.classes.length;
    this.classCount = new Uint8Array(inst.numCustomers * Math.max(1, C));
    this.householdCount = rules.households.map((h) => new Int32Array(h.numHouseholds));
    const cells = rules.numOffers * rules.numChannels;
    this.cellClasses = [];
    for (let cell = 0; cell < cells; cell++) {
      const list: number[] = [];
      rules.classes.forEach((cl, c) => {
        if (cl.mask[cell]) list.push(c);
      });
      this.cellClasses.push(Int32Array.from(list));
    }
  }

  reset(): void {
    this.classCount.fill(0);
    for (const h of this.householdCount) h.fill(0);
  }

  private cell(p: number): number {
    return this.inst.optOffer[p] * this.rules.numChannels + this.inst.optChannel[p];
  }

  /** records option p of customer i entering (s = 1) or leaving (s = -1) */
  update(i: number, p: number, s: number): void {
    const C = this.rules.classes.length;
    for (const c of this.cellClasses[this.cell(p)]) this.classCount[i * C + c] += s;
    this.rules.households.forEach((h, t) => {
      const hh = h.household[i];
      if (hh >= 0) this.householdCount[t][hh] += s;
    });
  }

  /** may option `add` join customer i's selection while `drop` (of the same customer, or -1) leaves? */
  allows(i: number, add: number, drop: number): boolean {
    const C = this.rules.classes.length;
    const classes = this.rules.classes;
    const dropCells = drop >= 0 ? this.cellClasses[this.cell(drop)] : null;
    for (const c of this.cellClasses[this.cell(add)]) {
      let n = this.classCount[i * C + c] + 1;
      if (dropCells !== null && dropCells.includes(c)) n--;
      if (n > classes[c].cap[i]) return false;
    }
    if (drop >= 0) return true; // a swap inside one customer leaves its household's count as is
    const hs = this.rules.households;
    for (let t = 0; t < hs.length; t++) {
      const hh = hs[t].household[i];
      if (hh >= 0 && this.householdCount[t][hh] + 1 > hs[t].limit) return false;
    }
    return true;
  }
}
