// The coupling constraints (those that tie customers together: budget, hurdle, capacities, offer
// volumes, segment rules) in the one linear form every algorithm here uses.
//
// Option p's coefficient on row j is  a_j(p) = coefR_j·r_p + coefC_j·c_p + F[group(p), j],
// where group(p) = (segment slot, offer, channel). Only budget (c) and hurdle (r − (1+h)c) depend
// on the option's own numbers; every count row depends only on its group. So a Lagrangian pass
// needs one small table per group instead of a row loop per option, and a move's effect on all
// rows is a handful of lookups.
//
// Segment slots: segments named by a segment rule get a slot of their own, all other customers
// share slot 0; so the group count stays (rule segments + 1) × offers × channels.

import type { Instance, PlanConstraints } from "./instance";
import {
  BUDGET_ROW,
  capacityRowName,
  HURDLE_ROW,
  offerMaxRowName,
  offerMinRowName,
} from "./row-names";
import type { ExtraRowSpec, LocalRules } from "./policies";
import type { PolicyKind } from "./policy-types";
import type { ConstraintKind } from "./types";
import { NEVER, POLL_EVERY_OPTIONS_MASK, type StopCheck } from "./stop";

/**
 * The rows' kinds: every policy's rows arrive as custom-capacity rows (ExtraRowSpec, from its
 * rule kind's `rows`); the other policy kinds act per customer (policies.ts)
 */
export type RowKind =
  Exclude<ConstraintKind, "offers_per_customer" | PolicyKind> | "custom_capacity";

export interface CouplingRow {
  name: string;
  kind: RowKind;
  sense: "LE" | "GE";
  rhs: number;
  /** channel, offer or segment-rule index the row is about; -1 for budget and hurdle */
  ref: number;
}

export interface Coupling {
  m: number;
  rows: CouplingRow[];
  /** +1 for LE rows, -1 for GE rows: sign·a·x ≤ sign·rhs is every row in "≤" form */
  sign: Float64Array;
  rhs: Float64Array;
  coefR: Float64Array;
  coefC: Float64Array;
  /** rows with a non-zero coefR or coefC (budget, hurdle) */
  pqRows: Int32Array;
  numOffers: number;
  numChannels: number;
  numSlots: number;
  numGroups: number;
  groupOffer: Int32Array;
  groupChannel: Int32Array;
  groupSlot: Int32Array;
  /** dense numGroups × m table of F */
  groupF: Float64Array;
  /** the same table's non-zeros per group, as compressed rows */
  groupRowStart: Int32Array;
  groupRowIndex: Int32Array;
  groupRowValue: Float64Array;
  /** segment index → slot (0 = no rule) */
  slotOfSegment: Int32Array;
  /** slot → segment index, -1 for slot 0 */
  segmentOfSlot: Int32Array;
  /** group per option */
  optGroup: Uint16Array;
  /** a typical |a_j| of one contact, to compare violations of different rows */
  unit: Float64Array;
  /** mean |r| over all options: the natural scale of prices */
  valueScale: number;
  maxOffersPerCustomer: number;
  /** 1 + h, or 0 without hurdle */
  hurdleFactor: number;
  /**
   * rows whose coefficient is per option (custom capacities): row extraRow[t] gets
   * extraCoef[t][p] on top of its group term (which is 0 for these rows)
   */
  extraRow: Int32Array;
  extraCoef: Float64Array[];
  /** per-customer rules every move must respect (policies.ts); null = none */
  local: LocalRules | null;
}

/** What compiled policies add to the coupling (policies.ts). */
export interface CouplingPolicies {
  extraRows: ExtraRowSpec[];
  local: LocalRules | null;
}

export function groupIndex(cp: Coupling, slot: number, offer: number, channel: number): number {
  return (slot * cp.numOffers + offer) * cp.numChannels + channel;
}

export function validateInput(inst: Instance, cons: PlanConstraints): void {
  const n = inst.numCustomers;
  const nOpt = inst.optOffer.length;
  const O = inst.offerIds.length;
  const K = inst.channelIds.length;
  const fail = (what: string): never => {
    throw new Error(`invalid optimisation input: ${what}`);
  };
  if (inst.custStart.length !== n + 1 || inst.custStart[0] !== 0 || inst.custStart[n] !== nOpt) {
    fail("custStart");
  }
  if (inst.customerSegment.length !== n) fail("customerSegment length");
  for (const a of [inst.optChannel, inst.optReturn, inst.optCost]) {
    if (a.length !== nOpt) fail("option arrays differ in length");
  }
  // option-level checks (indexes in range, finite numbers, costs ≥ 0) run inside
  // buildCoupling's single pass over the options
  for (let i = 0; i < n; i++) {
    if (inst.custStart[i + 1] < inst.custStart[i]) fail(`custStart not monotone at ${i}`);
    const s = inst.customerSegment[i];
    if (s < -1 || s >= inst.segments.length) fail(`customer ${i} has segment ${s}`);
  }
  if (cons.channelCapacity.length !== K) fail("channelCapacity length");
  if (cons.offerMin.length !== O || cons.offerMax.length !== O) fail("offer volume length");
  if (!Number.isInteger(cons.maxOffersPerCustomer) || cons.maxOffersPerCustomer < 1) {
    fail("maxOffersPerCustomer must be a whole number >= 1");
  }
  if (Number.isNaN(cons.budget) || cons.budget < 0) fail("budget");
  for (const rule of cons.segmentRules) {
    if (rule.segment < 0 || rule.segment >= inst.segments.length) fail(`rule ${rule.name} segment`);
    const families = cons.channelFamily ? Math.max(0, ...cons.channelFamily) + 1 : K;
    if (rule.offer >= O || rule.channel >= families) fail(`rule ${rule.name} offer/channel`);
    if (rule.max === null && rule.minShare === null) {
      fail(`rule ${rule.name} has neither max nor minShare`);
    }
  }
}

export function buildCoupling(
  inst: Instance,
  cons: PlanConstraints,
  policies: CouplingPolicies = { extraRows: [], local: null },
  stop: StopCheck = NEVER,
): Coupling {
  const O = inst.offerIds.length;
  const K = inst.channelIds.length;
  // 1. the rows, in the report's order
  const { rows, extraRow } = couplingRows(inst, cons, policies.extraRows);
  const m = rows.length;
  // 2. the (segment slot, offer, channel) groups
  const groups = groupsOf(inst, cons);
  // 3. each row's coefficients: on the option's own numbers, and per group
  const h = cons.hurdleRate ?? 0;
  const table = coefficientTable(cons, rows, groups, h);
  const sparse = sparseGroupRows(table.groupF, groups.numGroups, m);
  // 4. every option's group, checked, and the rows' units
  const nOpt = inst.optOffer.length;
  const { optGroup, absR, sumC, absH, bad } = optionGroups(
    inst,
    groups.slotOfSegment,
    O,
    K,
    h,
    stop,
  );
  if (bad >= 0) {
    throw new Error(
      `invalid optimisation input: option ${bad} has offer ${inst.optOffer[bad]} / channel ` +
        `${inst.optChannel[bad]}, return ${inst.optReturn[bad]}, cost ${inst.optCost[bad]}`,
    );
  }
  const meanOr1 = (x: number) => (nOpt > 0 && x > 0 ? x / nOpt : 1);
  const unit = new Float64Array(m);
  rows.forEach((row, j) => {
    unit[j] =
      row.kind === "budget"
        ? meanOr1(sumC)
        : row.kind === "hurdle"
          ? meanOr1(absH)
          : row.kind === "custom_capacity"
            ? meanAbsNonZero(policies.extraRows[row.ref].coef, stop)
            : 1;
  });

  return {
    m,
    rows,
    ...table,
    ...sparse,
    numOffers: O,
    numChannels: K,
    numSlots: groups.numSlots,
    numGroups: groups.numGroups,
    groupOffer: groups.groupOffer,
    groupChannel: groups.groupChannel,
    groupSlot: groups.groupSlot,
    slotOfSegment: groups.slotOfSegment,
    segmentOfSlot: Int32Array.from(groups.segmentOfSlot),
    optGroup,
    unit,
    valueScale: meanOr1(absR),
    maxOffersPerCustomer: cons.maxOffersPerCustomer,
    hurdleFactor: cons.hurdleRate === null ? 0 : 1 + h,
    extraRow,
    extraCoef: policies.extraRows.map((x) => x.coef),
    local: policies.local,
  };
}

/** Budget, hurdle, capacities, offer minimums and maximums, segment rules, then custom rows. */
function couplingRows(
  inst: Instance,
  cons: PlanConstraints,
  extraRows: ExtraRowSpec[],
): { rows: CouplingRow[]; extraRow: Int32Array } {
  const rows: CouplingRow[] = [];
  if (Number.isFinite(cons.budget)) {
    rows.push({ name: BUDGET_ROW, kind: "budget", sense: "LE", rhs: cons.budget, ref: -1 });
  }
  if (cons.hurdleRate !== null) {
    rows.push({ name: HURDLE_ROW, kind: "hurdle", sense: "GE", rhs: 0, ref: -1 });
  }
  inst.channelIds.forEach((id, k) => {
    if (Number.isFinite(cons.channelCapacity[k])) {
      rows.push({
        name: capacityRowName(id),
        kind: "capacity",
        sense: "LE",
        rhs: cons.channelCapacity[k],
        ref: k,
      });
    }
  });
  inst.offerIds.forEach((id, o) => {
    if (cons.offerMin[o] > 0) {
      rows.push({
        name: offerMinRowName(id),
        kind: "offer_min",
        sense: "GE",
        rhs: cons.offerMin[o],
        ref: o,
      });
    }
  });
  inst.offerIds.forEach((id, o) => {
    if (Number.isFinite(cons.offerMax[o])) {
      rows.push({
        name: offerMaxRowName(id),
        kind: "offer_max",
        sense: "LE",
        rhs: cons.offerMax[o],
        ref: o,
      });
    }
  });
  cons.segmentRules.forEach((rule, q) => {
    if (rule.max !== null) {
      rows.push({ name: rule.name, kind: "segment_max", sense: "LE", rhs: rule.max, ref: q });
    }
    if (rule.minShare !== null) {
      rows.push({ name: rule.name, kind: "segment_min_share", sense: "GE", rhs: 0, ref: q });
    }
  });
  const extraRow = new Int32Array(extraRows.length);
  extraRows.forEach((x, t) => {
    extraRow[t] = rows.length;
    rows.push({ name: x.name, kind: "custom_capacity", sense: x.sense, rhs: x.rhs, ref: t });
  });
  return { rows, extraRow };
}

interface Groups {
  numSlots: number;
  numGroups: number;
  groupOffer: Int32Array;
  groupChannel: Int32Array;
  groupSlot: Int32Array;
  slotOfSegment: Int32Array;
  segmentOfSlot: number[];
}

/** A slot per segment named by a segment rule (slot 0: everyone else), × offers × channels. */
function groupsOf(inst: Instance, cons: PlanConstraints): Groups {
  const O = inst.offerIds.length;
  const K = inst.channelIds.length;
  const slotOfSegment = new Int32Array(inst.segments.length);
  const segmentOfSlot: number[] = [-1];
  for (const rule of cons.segmentRules) {
    if (slotOfSegment[rule.segment] === 0) {
      slotOfSegment[rule.segment] = segmentOfSlot.length;
      segmentOfSlot.push(rule.segment);
    }
  }
  const numSlots = segmentOfSlot.length;
  const numGroups = numSlots * O * K;
  if (numGroups > 65535) {
    throw new Error(`too many (segment, offer, channel) groups: ${numGroups}`);
  }
  const groupOffer = new Int32Array(numGroups);
  const groupChannel = new Int32Array(numGroups);
  const groupSlot = new Int32Array(numGroups);
  for (let s = 0; s < numSlots; s++) {
    for (let o = 0; o < O; o++) {
      for (let k = 0; k < K; k++) {
        const g = (s * O + o) * K + k;
        groupOffer[g] = o;
        groupChannel[g] = k;
        groupSlot[g] = s;
      }
    }
  }
  return {
    numSlots,
    numGroups,
    groupOffer,
    groupChannel,
    groupSlot,
    slotOfSegment,
    segmentOfSlot,
  };
}

/** Each row's sense, bound, coefficients on return and cost, and dense group table F. */
function coefficientTable(
  cons: PlanConstraints,
  rows: CouplingRow[],
  groups: Groups,
  h: number,
): Pick<Coupling, "sign" | "rhs" | "coefR" | "coefC" | "groupF" | "pqRows"> {
  const m = rows.length;
  const { numGroups, groupOffer, groupChannel, groupSlot, segmentOfSlot } = groups;
  const sign = new Float64Array(m);
  const rhs = new Float64Array(m);
  const coefR = new Float64Array(m);
  const coefC = new Float64Array(m);
  const groupF = new Float64Array(numGroups * m);
  rows.forEach((row, j) => {
    sign[j] = row.sense === "LE" ? 1 : -1;
    rhs[j] = row.rhs;
    for (let g = 0; g < numGroups; g++) {
      const o = groupOffer[g];
      const k = groupChannel[g];
      const seg = segmentOfSlot[groupSlot[g]];
      let f = 0;
      switch (row.kind) {
        case "budget":
          coefC[j] = 1;
          break;
        case "hurdle":
          coefR[j] = 1;
          coefC[j] = -(1 + h);
          break;
        case "capacity":
          f = k === row.ref ? 1 : 0;
          break;
        case "offer_min":
        case "offer_max":
          f = o === row.ref ? 1 : 0;
          break;
        case "segment_max":
        case "segment_min_share": {
          const rule = cons.segmentRules[row.ref];
          if (seg !== rule.segment) break;
          const match =
            (rule.offer < 0 || rule.offer === o) &&
            (rule.channel < 0 || rule.channel === (cons.channelFamily?.[k] ?? k));
          f = row.kind === "segment_max" ? (match ? 1 : 0) : (match ? 1 : 0) - (rule.minShare ?? 0);
          break;
        }
      }
      groupF[g * m + j] = f;
    }
  });
  const pq: number[] = [];
  for (let j = 0; j < m; j++) if (coefR[j] !== 0 || coefC[j] !== 0) pq.push(j);
  return { sign, rhs, coefR, coefC, groupF, pqRows: Int32Array.from(pq) };
}

/** The non-zeros of the group table F per group, as compressed rows. */
function sparseGroupRows(
  groupF: Float64Array,
  numGroups: number,
  m: number,
): Pick<Coupling, "groupRowStart" | "groupRowIndex" | "groupRowValue"> {
  const groupRowStart = new Int32Array(numGroups + 1);
  for (let g = 0; g < numGroups; g++) {
    let nz = 0;
    for (let j = 0; j < m; j++) if (groupF[g * m + j] !== 0) nz++;
    groupRowStart[g + 1] = groupRowStart[g] + nz;
  }
  const groupRowIndex = new Int32Array(groupRowStart[numGroups]);
  const groupRowValue = new Float64Array(groupRowStart[numGroups]);
  for (let g = 0; g < numGroups; g++) {
    let w = groupRowStart[g];
    for (let j = 0; j < m; j++) {
      const f = groupF[g * m + j];
      if (f !== 0) {
        groupRowIndex[w] = j;
        groupRowValue[w++] = f;
      }
    }
  }
  return { groupRowStart, groupRowIndex, groupRowValue };
}

/** Mean |coefficient| over the non-zero ones (1 when none): a custom row's typical contact. */
function meanAbsNonZero(coef: Float64Array, stop: StopCheck): number {
  let abs = 0;
  let nz = 0;
  for (let p = 0; p < coef.length; p++) {
    if ((p & POLL_EVERY_OPTIONS_MASK) === 0) stop.poll();
    if (coef[p] !== 0) {
      abs += Math.abs(coef[p]);
      nz++;
    }
  }
  return nz > 0 && abs > 0 ? abs / nz : 1;
}

/**
 * Group of every option and the sums that set the rows' units, in one pass that also validates
 * each option (offer and channel in range, finite return and cost, cost ≥ 0): `bad` is the first
 * invalid option or -1.
 */
function optionGroups(
  inst: Instance,
  slotOfSegment: Int32Array,
  O: number,
  K: number,
  h: number,
  stop: StopCheck,
): { optGroup: Uint16Array; absR: number; sumC: number; absH: number; bad: number } {
  const start = inst.custStart;
  const seg = inst.customerSegment;
  const offer = inst.optOffer;
  const channel = inst.optChannel;
  const r = inst.optReturn;
  const c = inst.optCost;
  // shared memory, so that pass-pool's threads read it without a copy (a plain array otherwise)
  const optGroup = new Uint16Array(new SharedArrayBuffer(2 * offer.length));
  const f = 1 + h;
  let absR = 0;
  let sumC = 0;
  let absH = 0;
  let bad = -1;
  for (let i = 0; i < inst.numCustomers; i++) {
    stop.every(i);
    const s = seg[i];
    const base = (s >= 0 ? slotOfSegment[s] : 0) * O;
    const e = start[i + 1];
    for (let p = start[i]; p < e; p++) {
      const o = offer[p];
      const k = channel[p];
      const rp = r[p];
      const cp = c[p];
      // NaN and ±Infinity fail x − x === 0
      if (o < 0 || o >= O || k < 0 || k >= K || rp - rp !== 0 || cp - cp !== 0 || cp < 0) {
        if (bad < 0) bad = p;
        continue;
      }
      optGroup[p] = (base + o) * K + k;
      absR += rp < 0 ? -rp : rp;
      sumC += cp;
      const hp = rp - f * cp;
      absH += hp < 0 ? -hp : hp;
    }
  }
  return { optGroup, absR, sumC, absH, bad };
}

/** Coefficient of option p on row j. */
export function coefficient(cp: Coupling, inst: Instance, p: number, j: number): number {
  return (
    cp.coefR[j] * inst.optReturn[p] +
    cp.coefC[j] * inst.optCost[p] +
    cp.groupF[cp.optGroup[p] * cp.m + j] +
    extraCoefficient(cp, p, j)
  );
}

/** The per-option part of row j's coefficient (custom capacities), 0 for every other row. */
export function extraCoefficient(cp: Coupling, p: number, j: number): number {
  for (let t = 0; t < cp.extraRow.length; t++) if (cp.extraRow[t] === j) return cp.extraCoef[t][p];
  return 0;
}

/** Row activities A·x of a selection, from scratch. */
export function activities(cp: Coupling, inst: Instance, selected: Uint8Array): Float64Array {
  const cnt = new Float64Array(cp.numGroups);
  const sumE = new Float64Array(cp.extraRow.length);
  let sumR = 0;
  let sumC = 0;
  for (let p = 0; p < selected.length; p++) {
    if (!selected[p]) continue;
    cnt[cp.optGroup[p]]++;
    sumR += inst.optReturn[p];
    sumC += inst.optCost[p];
    for (let t = 0; t < sumE.length; t++) sumE[t] += cp.extraCoef[t][p];
  }
  return activitiesFromGroups(cp, cnt, sumR, sumC, sumE);
}

export function activitiesFromGroups(
  cp: Coupling,
  cnt: Float64Array,
  sumR: number,
  sumC: number,
  sumE: Float64Array | null = null,
  out: Float64Array = new Float64Array(cp.m),
): Float64Array {
  for (let j = 0; j < cp.m; j++) out[j] = cp.coefR[j] * sumR + cp.coefC[j] * sumC;
  if (sumE !== null) for (let t = 0; t < cp.extraRow.length; t++) out[cp.extraRow[t]] += sumE[t];
  for (let g = 0; g < cp.numGroups; g++) {
    const n = cnt[g];
    if (n === 0) continue;
    for (let t = cp.groupRowStart[g]; t < cp.groupRowStart[g + 1]; t++) {
      out[cp.groupRowIndex[t]] += cp.groupRowValue[t] * n;
    }
  }
  return out;
}
