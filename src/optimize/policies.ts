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
import type { CustomCapacityPolicy, OptionFilter, Policy } from "./policy-types";
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

/** the filter that counts every option */
export const ALL: OptionFilter = { offers: null, channels: null };

export function enforced(cons: PlanConstraints): Policy[] {
  return (cons.policies ?? []).filter((p) => !p.reportOnly);
}

export function matches(f: OptionFilter, offer: number, channel: number): boolean {
  return (
    (f.offers === null || f.offers[offer] === 1) &&
    (f.channels === null || f.channels[channel] === 1)
  );
}

/** Checks the per-customer arrays against the instance; throws with the rule's name. */
export function validatePolicies(inst: Instance, cons: PlanConstraints): void {
  const n = inst.numCustomers;
  const O = inst.offerIds.length;
  const K = inst.channelIds.length;
  const fail = (p: Policy, what: string): never => {
    throw new Error(`invalid optimisation input: policy ${p.name}: ${what}`);
  };
  const names = new Set<string>();
  for (const p of cons.policies ?? []) {
    if (names.has(p.name)) fail(p, "duplicate name");
    names.add(p.name);
    const filterOk = (f: OptionFilter) =>
      (f.offers === null || f.offers.length === O) &&
      (f.channels === null || f.channels.length === K);
    switch (p.kind) {
      case "fatigue":
        if (p.prior.length !== n) fail(p, "prior length");
        if (!filterOk(p.filter)) fail(p, "filter length");
        if (!(p.limit >= 0)) fail(p, "limit");
        break;
      case "cool_off":
        if (p.blockedCustomer.length !== p.blockedOffer.length) fail(p, "blocked pairs");
        for (let t = 0; t < p.blockedCustomer.length; t++) {
          const i = p.blockedCustomer[t];
          const o = p.blockedOffer[t];
          if (i < 0 || i >= n || o < 0 || o >= O) fail(p, `blocked pair ${t} out of range`);
        }
        break;
      case "mutual_exclusion":
        if (p.offers.length < 2 || p.offers.some((o) => o < 0 || o >= O)) fail(p, "offers");
        break;
      case "sequencing":
        if (p.qualified.length !== n) fail(p, "qualified length");
        if (p.offer < 0 || p.offer >= O || p.after < 0 || p.after >= O) fail(p, "offers");
        break;
      case "household":
        if (p.household.length !== n) fail(p, "household length");
        if (!(p.limit >= 0)) fail(p, "limit");
        break;
      case "custom_capacity":
        if (!filterOk(p.filter)) fail(p, "filter length");
        if (p.field === null && (p.customerValue === null || p.customerValue.length !== n)) {
          fail(p, "customerValue length");
        }
        if (p.max === null && p.min === null) fail(p, "neither max nor min");
        break;
    }
  }
}

/** The measure of option p of customer i under a custom capacity (NaN = missing). */
export function measureOf(pol: CustomCapacityPolicy, inst: Instance, i: number, p: number): number {
  switch (pol.field) {
    case "expectedReturn":
      return inst.optReturn[p];
    case "cost":
      return inst.optCost[p];
    case "contacts":
      return 1;
    default:
      return pol.customerValue![i];
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
  const n = inst.numCustomers;
  const O = inst.offerIds.length;
  const K = inst.channelIds.length;
  const M = cons.maxOffersPerCustomer;
  const nOpt = inst.optOffer.length;
  const start = inst.custStart;
  const offer = inst.optOffer;
  const channel = inst.optChannel;

  // 1. options no method may choose (blockedBy: first rule that forbids each)
  const blockedBy = new Uint16Array(nOpt);
  for (const { p: pol, idx } of active) {
    const tag = idx + 1;
    if (pol.kind === "cool_off") {
      const cells = cellMask(pol.filter ?? ALL, O, K);
      for (let t = 0; t < pol.blockedCustomer.length; t++) {
        stop.every(t);
        const i = pol.blockedCustomer[t];
        const o = pol.blockedOffer[t];
        for (let q = start[i]; q < start[i + 1]; q++) {
          if (offer[q] === o && cells[o * K + channel[q]] && blockedBy[q] === 0) blockedBy[q] = tag;
        }
      }
    } else if (pol.kind === "sequencing") {
      const cells = cellMask(pol.filter ?? ALL, O, K);
      const o = pol.offer;
      for (let i = 0; i < n; i++) {
        stop.every(i);
        if (pol.qualified[i]) continue;
        for (let q = start[i]; q < start[i + 1]; q++) {
          if (offer[q] === o && cells[o * K + channel[q]] && blockedBy[q] === 0) blockedBy[q] = tag;
        }
      }
    } else if (pol.kind === "fatigue") {
      const cells = cellMask(pol.filter, O, K);
      for (let i = 0; i < n; i++) {
        stop.every(i);
        if (pol.prior[i] < pol.limit) continue;
        for (let q = start[i]; q < start[i + 1]; q++) {
          if (cells[offer[q] * K + channel[q]] && blockedBy[q] === 0) blockedBy[q] = tag;
        }
      }
    } else if (pol.kind === "custom_capacity" && pol.customerValue !== null) {
      // a customer without a value for the measure cannot take the options it bounds
      const cells = cellMask(pol.filter, O, K);
      const value = pol.customerValue;
      for (let i = 0; i < n; i++) {
        stop.every(i);
        if (!Number.isNaN(value[i])) continue;
        for (let q = start[i]; q < start[i + 1]; q++) {
          if (cells[offer[q] * K + channel[q]] && blockedBy[q] === 0) blockedBy[q] = tag;
        }
      }
    } else if (pol.kind === "household" && pol.limit === 0) {
      for (let i = 0; i < n; i++) {
        stop.every(i);
        if (pol.household[i] < 0) continue;
        for (let q = start[i]; q < start[i + 1]; q++) if (blockedBy[q] === 0) blockedBy[q] = tag;
      }
    }
  }
  let kept = 0;
  for (let p = 0; p < nOpt; p++) if (blockedBy[p] === 0) kept++;
  const anyBlocked = kept < nOpt;

  let cInst = inst;
  let origIndex: Int32Array | null = null;
  if (anyBlocked) {
    origIndex = new Int32Array(kept);
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
        optOffer[w] = offer[p];
        optChannel[w] = channel[p];
        optReturn[w] = inst.optReturn[p];
        optCost[w++] = inst.optCost[p];
      }
    }
    custStart[n] = w;
    cInst = { ...inst, custStart, optOffer, optChannel, optReturn, optCost };
  }

  // 2. per-customer classes (only where a customer may take more than one offer)
  const classes: LocalClass[] = [];
  const households: HouseholdLimit[] = [];
  for (const { p: pol } of active) {
    if (pol.kind === "fatigue" && M > 1) {
      const cap = new Uint8Array(n).fill(255);
      let binds = false;
      for (let i = 0; i < n; i++) {
        stop.every(i);
        const room = pol.limit - pol.prior[i];
        if (room > 0 && room < M) {
          cap[i] = room;
          binds = true;
        }
      }
      if (binds) classes.push({ name: pol.name, mask: maskOf(pol.filter, O, K), cap });
    } else if (pol.kind === "mutual_exclusion" && M > 1) {
      const mask = new Uint8Array(O * K);
      for (const o of pol.offers) mask.fill(1, o * K, (o + 1) * K);
      classes.push({ name: pol.name, mask, cap: new Uint8Array(n).fill(1) });
    } else if (pol.kind === "household" && pol.limit > 0) {
      const { dense, count } = denseHouseholds(pol.household);
      // a household no larger than its limit (with every member at M) can never be full
      const size = new Int32Array(count);
      for (let i = 0; i < n; i++) if (dense[i] >= 0) size[dense[i]]++;
      let binds = false;
      for (let h = 0; h < count && !binds; h++) if (size[h] * M > pol.limit) binds = true;
      if (binds) {
        households.push({
          name: pol.name,
          limit: pol.limit,
          household: dense,
          numHouseholds: count,
        });
      }
    }
  }

  // 3. custom capacities as rows, built over the input's options (the report prices blocked
  // options too) and then narrowed to the compiled instance's
  stop.poll();
  const extraRowsInput = customRows(
    inst,
    active.map(({ p }) => p),
    stop,
  );
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
    blockedBy: anyBlocked ? blockedBy : null,
    local,
    extraRows,
    extraRowsInput,
  };
}

function gather(src: Float64Array, index: Int32Array): Float64Array {
  const out = new Float64Array(index.length);
  for (let q = 0; q < index.length; q++) out[q] = src[index[q]];
  return out;
}

/** Report name of a custom capacity's max or min row (both get a suffix when both are given). */
export function customRowName(pol: CustomCapacityPolicy, side: "max" | "min"): string {
  return pol.max !== null && pol.min !== null ? `${pol.name}:${side}` : pol.name;
}

function customRows(inst: Instance, policies: Policy[], stop: StopCheck): ExtraRowSpec[] {
  const out: ExtraRowSpec[] = [];
  const n = inst.numCustomers;
  for (const pol of policies) {
    if (pol.kind !== "custom_capacity") continue;
    const nOpt = inst.optOffer.length;
    const raw = new Float64Array(nOpt);
    const inClass = new Uint8Array(nOpt);
    const cells = cellMask(pol.filter, inst.offerIds.length, inst.channelIds.length);
    const K = inst.channelIds.length;
    const value = pol.customerValue;
    for (let i = 0; i < n; i++) {
      stop.every(i);
      const vi = value === null ? 0 : value[i];
      for (let q = inst.custStart[i]; q < inst.custStart[i + 1]; q++) {
        if (!cells[inst.optOffer[q] * K + inst.optChannel[q]]) continue;
        const v =
          pol.field === "expectedReturn"
            ? inst.optReturn[q]
            : pol.field === "cost"
              ? inst.optCost[q]
              : pol.field === "contacts"
                ? 1
                : vi;
        if (Number.isNaN(v)) continue; // blocked (compilePolicies)
        raw[q] = v;
        inClass[q] = 1;
      }
    }
    const row = (side: "max" | "min", bound: number) => {
      // average ≤ b  ⇔  Σ (a − b)·x ≤ 0 over the matching contacts
      const coef = new Float64Array(nOpt);
      for (let q = 0; q < nOpt; q++) {
        if (inClass[q]) coef[q] = pol.aggregate === "AVERAGE" ? raw[q] - bound : raw[q];
      }
      out.push({
        name: customRowName(pol, side),
        sense: side === "max" ? "LE" : "GE",
        rhs: pol.aggregate === "AVERAGE" ? 0 : bound,
        coef,
      });
    };
    if (pol.max !== null) row("max", pol.max);
    if (pol.min !== null) row("min", pol.min);
  }
  return out;
}

/** 1 per (offer, channel) cell the filter counts, offer-major. */
export function cellMask(f: OptionFilter, O: number, K: number): Uint8Array {
  return maskOf(f, O, K);
}

function maskOf(f: OptionFilter, O: number, K: number): Uint8Array {
  const mask = new Uint8Array(O * K);
  for (let o = 0; o < O; o++) {
    for (let k = 0; k < K; k++) {
      mask[o * K + k] =
        (f.offers === null || f.offers[o] === 1) && (f.channels === null || f.channels[k] === 1)
          ? 1
          : 0;
    }
  }
  return mask;
}

function denseHouseholds(household: Int32Array): { dense: Int32Array; count: number } {
  const map = new Map<number, number>();
  const dense = new Int32Array(household.length);
  for (let i = 0; i < household.length; i++) {
    const h = household[i];
    if (h < 0) {
      dense[i] = -1;
      continue;
    }
    let d = map.get(h);
    if (d === undefined) {
      d = map.size;
      map.set(h, d);
    }
    dense[i] = d;
  }
  return { dense, count: map.size };
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
