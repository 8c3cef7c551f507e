// Tiny random instances, constraint sets built around a hidden feasible plan (so they are tight
// but feasible), and a brute-force optimiser that shares no code with src/optimize.

import type {
  Instance,
  PlanConstraints,
  ResolvedSegmentRule,
} from "../../../src/optimize/instance";
import { violations } from "../../../src/optimize/evaluate";
import { Rng } from "../../../src/optimize/rng";

export interface RandomInstanceSpec {
  customers: number;
  offers: number;
  channels: number;
  segments?: number;
  /** probability that a customer is eligible for an (offer, channel) */
  density?: number;
  /** share of do-not-contact customers */
  dnc?: number;
}

export function randomInstance(seed: number, spec: RandomInstanceSpec): Instance {
  const rng = new Rng(seed);
  const S = spec.segments ?? 2;
  const density = spec.density ?? 0.7;
  const channelCost = Array.from({ length: spec.channels }, (_, k) => 1 + 3 * k + rng.float());
  const channelLift = Array.from({ length: spec.channels }, (_, k) => 1 + 0.8 * k);
  const offerValue = Array.from({ length: spec.offers }, () => 20 + 200 * rng.float());
  const custStart = [0];
  const optOffer: number[] = [];
  const optChannel: number[] = [];
  const optReturn: number[] = [];
  const optCost: number[] = [];
  const customerSegment: number[] = [];
  for (let i = 0; i < spec.customers; i++) {
    customerSegment.push(rng.int(S + 1) - 1); // some customers have no segment
    const dnc = rng.float() < (spec.dnc ?? 0.05);
    const wealth = Math.exp(rng.float() * 1.5 - 0.75);
    for (let o = 0; o < spec.offers && !dnc; o++) {
      const p = 0.01 + 0.05 * rng.float();
      for (let k = 0; k < spec.channels; k++) {
        if (rng.float() > density) continue;
        optOffer.push(o);
        optChannel.push(k);
        optReturn.push(Math.round(100 * p * offerValue[o] * wealth * channelLift[k]) / 100);
        optCost.push(Math.round(100 * channelCost[k] * (0.9 + 0.2 * rng.float())) / 100);
      }
    }
    custStart.push(optOffer.length);
  }
  return {
    numCustomers: spec.customers,
    offerIds: Array.from({ length: spec.offers }, (_, o) => `o${o}`),
    channelIds: Array.from({ length: spec.channels }, (_, k) => `ch${k}`),
    segments: Array.from({ length: S }, (_, s) => `s${s}`),
    customerSegment: Int32Array.from(customerSegment),
    customerKey: Int32Array.from({ length: spec.customers }, (_, i) => i + 1),
    custStart: Int32Array.from(custStart),
    optOffer: Int32Array.from(optOffer),
    optChannel: Int32Array.from(optChannel),
    optReturn: Float64Array.from(optReturn),
    optCost: Float64Array.from(optCost),
  };
}

export function unconstrained(inst: Instance, M = 1): PlanConstraints {
  return {
    objective: "EXPECTED_RETURN",
    budget: Infinity,
    hurdleRate: null,
    maxOffersPerCustomer: M,
    channelCapacity: new Float64Array(inst.channelIds.length).fill(Infinity),
    offerMin: new Float64Array(inst.offerIds.length),
    offerMax: new Float64Array(inst.offerIds.length).fill(Infinity),
    segmentRules: [],
  };
}

/** A random plan respecting M and distinct offers, taking each customer with probability `rate`. */
export function randomPlan(inst: Instance, M: number, rng: Rng, rate = 0.7): Uint8Array {
  const sel = new Uint8Array(inst.optOffer.length);
  for (let i = 0; i < inst.numCustomers; i++) {
    const used = new Set<number>();
    let n = 0;
    for (let p = inst.custStart[i]; p < inst.custStart[i + 1]; p++) {
      if (n >= M || used.has(inst.optOffer[p]) || rng.float() > rate / 2) continue;
      sel[p] = 1;
      used.add(inst.optOffer[p]);
      n++;
    }
  }
  return sel;
}

export interface TightSpec {
  M: number;
  budget?: boolean;
  capacity?: boolean;
  minimums?: boolean;
  maximums?: boolean;
  hurdle?: boolean;
  segmentRules?: boolean;
  objective?: PlanConstraints["objective"];
}

/** Constraints that the hidden plan `ref` satisfies, most of them tightly. */
export function tightConstraints(inst: Instance, seed: number, spec: TightSpec): PlanConstraints {
  const rng = new Rng(seed);
  const ref = randomPlan(inst, spec.M, rng, 0.5 + 0.5 * rng.float());
  const O = inst.offerIds.length;
  const K = inst.channelIds.length;
  let R = 0;
  let C = 0;
  const byOffer = new Float64Array(O);
  const byChannel = new Float64Array(K);
  const segTotal = new Map<number, number>();
  const segOffer = new Map<string, number>();
  const segChannel = new Map<string, number>();
  for (let i = 0; i < inst.numCustomers; i++) {
    const s = inst.customerSegment[i];
    for (let p = inst.custStart[i]; p < inst.custStart[i + 1]; p++) {
      if (!ref[p]) continue;
      R += inst.optReturn[p];
      C += inst.optCost[p];
      byOffer[inst.optOffer[p]]++;
      byChannel[inst.optChannel[p]]++;
      if (s >= 0) {
        segTotal.set(s, (segTotal.get(s) ?? 0) + 1);
        const ko = `${s}/${inst.optOffer[p]}`;
        segOffer.set(ko, (segOffer.get(ko) ?? 0) + 1);
        const kc = `${s}/${inst.optChannel[p]}`;
        segChannel.set(kc, (segChannel.get(kc) ?? 0) + 1);
      }
    }
  }
  const cons = unconstrained(inst, spec.M);
  cons.objective = spec.objective ?? "EXPECTED_RETURN";
  if (spec.budget) cons.budget = Math.round(C * (1 + 0.15 * rng.float()) * 100) / 100;
  if (spec.capacity) {
    for (let k = 0; k < K; k++) {
      if (rng.float() < 0.6) cons.channelCapacity[k] = byChannel[k] + rng.int(2);
    }
  }
  if (spec.minimums) {
    for (let o = 0; o < O; o++)
      if (rng.float() < 0.5) cons.offerMin[o] = Math.max(0, byOffer[o] - rng.int(2));
  }
  if (spec.maximums) {
    for (let o = 0; o < O; o++) if (rng.float() < 0.4) cons.offerMax[o] = byOffer[o] + rng.int(2);
  }
  if (spec.hurdle && C > 0) {
    const roi = (R - C) / C;
    cons.hurdleRate = Math.max(-0.9, roi - 0.3 * rng.float());
  }
  if (spec.segmentRules) {
    const rules: ResolvedSegmentRule[] = [];
    for (let s = 0; s < inst.segments.length; s++) {
      if (rng.float() < 0.5) {
        const o = rng.int(O);
        rules.push({
          name: `segment:${inst.segments[s]}/offer:${inst.offerIds[o]}`,
          segment: s,
          offer: o,
          channel: -1,
          max: (segOffer.get(`${s}/${o}`) ?? 0) + rng.int(2),
          minShare: null,
        });
      }
      if (rng.float() < 0.5) {
        const k = rng.int(K);
        const total = segTotal.get(s) ?? 0;
        const have = segChannel.get(`${s}/${k}`) ?? 0;
        rules.push({
          name: `segment:${inst.segments[s]}/channel:${inst.channelIds[k]}`,
          segment: s,
          offer: -1,
          channel: k,
          max: null,
          minShare: total > 0 ? Math.floor((100 * have) / total) / 100 : 0.1,
        });
      }
    }
    cons.segmentRules = rules;
  }
  return cons;
}

export interface BruteResult {
  value: number;
  selected: Uint8Array | null;
  leaves: number;
}

/** Enumerates every plan (with pruning on ≤ rows and, for expected return, on value). */
export function bruteForce(inst: Instance, cons: PlanConstraints): BruteResult {
  const n = inst.numCustomers;
  const M = cons.maxOffersPerCustomer;
  const O = inst.offerIds.length;
  const K = inst.channelIds.length;
  // every customer's admissible selections
  const choices: number[][][] = [];
  for (let i = 0; i < n; i++) {
    const opts: number[] = [];
    for (let p = inst.custStart[i]; p < inst.custStart[i + 1]; p++) opts.push(p);
    const out: number[][] = [];
    const rec = (from: number, cur: number[]) => {
      out.push([...cur]);
      if (cur.length === M) return;
      for (let t = from; t < opts.length; t++) {
        const p = opts[t];
        if (cur.some((q) => inst.optOffer[q] === inst.optOffer[p])) continue;
        cur.push(p);
        rec(t + 1, cur);
        cur.pop();
      }
    };
    rec(0, []);
    choices.push(out);
  }
  const maxRet = choices.map((cs) =>
    Math.max(0, ...cs.map((c) => c.reduce((a, p) => a + inst.optReturn[p], 0))),
  );
  const restMax = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) restMax[i] = restMax[i + 1] + maxRet[i];

  const rules = cons.segmentRules;
  const byOffer = new Float64Array(O);
  const byChannel = new Float64Array(K);
  const bySeg = new Float64Array(inst.segments.length);
  const match = new Float64Array(rules.length);
  let R = 0;
  let C = 0;
  let bestValue = -Infinity;
  let bestPick: number[][] | null = null;
  let leaves = 0;
  const pick: number[][] = [];
  const romi = cons.objective === "ROMI";

  const feasibleLeaf = (): boolean => {
    const eps = 1e-9;
    if (C > cons.budget + eps * Math.max(1, cons.budget)) return false;
    if (cons.hurdleRate !== null && R < (1 + cons.hurdleRate) * C - eps * Math.max(1, R))
      return false;
    for (let o = 0; o < O; o++) {
      if (byOffer[o] < cons.offerMin[o] || byOffer[o] > cons.offerMax[o]) return false;
    }
    for (let k = 0; k < K; k++) if (byChannel[k] > cons.channelCapacity[k]) return false;
    for (let q = 0; q < rules.length; q++) {
      const rule = rules[q];
      if (rule.max !== null && match[q] > rule.max) return false;
      if (
        rule.minShare !== null &&
        match[q] < rule.minShare * bySeg[rule.segment] - eps * Math.max(1, match[q])
      ) {
        return false;
      }
    }
    return true;
  };
  const apply = (i: number, sel: number[], s: number) => {
    const seg = inst.customerSegment[i];
    for (const p of sel) {
      const o = inst.optOffer[p];
      const k = inst.optChannel[p];
      R += s * inst.optReturn[p];
      C += s * inst.optCost[p];
      byOffer[o] += s;
      byChannel[k] += s;
      if (seg >= 0) {
        bySeg[seg] += s;
        rules.forEach((rule, q) => {
          if (
            rule.segment === seg &&
            (rule.offer < 0 || rule.offer === o) &&
            (rule.channel < 0 || rule.channel === k)
          ) {
            match[q] += s;
          }
        });
      }
    }
  };
  const leQuickFail = (): boolean => {
    if (C > cons.budget * (1 + 1e-9) + 1e-9) return true;
    for (let k = 0; k < K; k++) if (byChannel[k] > cons.channelCapacity[k]) return true;
    for (let o = 0; o < O; o++) if (byOffer[o] > cons.offerMax[o]) return true;
    for (let q = 0; q < rules.length; q++) {
      const mx = rules[q].max;
      if (mx !== null && match[q] > mx) return true;
    }
    return false;
  };
  const dfs = (i: number) => {
    if (!romi && R + restMax[i] <= bestValue) return;
    if (i === n) {
      leaves++;
      if (!feasibleLeaf()) return;
      const v = romi ? (C > 0 ? (R - C) / C : -Infinity) : R;
      if (v > bestValue) {
        bestValue = v;
        bestPick = pick.map((x) => [...x]);
      }
      return;
    }
    for (const sel of choices[i]) {
      apply(i, sel, 1);
      if (!leQuickFail()) {
        pick.push(sel);
        dfs(i + 1);
        pick.pop();
      }
      apply(i, sel, -1);
    }
  };
  dfs(0);
  if (bestPick === null) return { value: -Infinity, selected: null, leaves };
  const selected = new Uint8Array(inst.optOffer.length);
  for (const sel of bestPick as number[][]) for (const p of sel) selected[p] = 1;
  return { value: bestValue, selected, leaves };
}

/**
 * Best expected return over every plan that evaluate.ts finds feasible (null: none): for rules
 * judged only by evaluate.ts (contact policies, calendars), tiny instances only.
 */
export function bruteByEvaluate(inst: Instance, cons: PlanConstraints): number | null {
  const n = inst.numCustomers;
  const choices: number[][][] = [];
  for (let i = 0; i < n; i++) {
    const out: number[][] = [];
    const opts: number[] = [];
    for (let p = inst.custStart[i]; p < inst.custStart[i + 1]; p++) opts.push(p);
    const rec = (from: number, cur: number[]) => {
      out.push([...cur]);
      if (cur.length === cons.maxOffersPerCustomer) return;
      for (let t = from; t < opts.length; t++) {
        if (cur.some((q) => inst.optOffer[q] === inst.optOffer[opts[t]])) continue;
        cur.push(opts[t]);
        rec(t + 1, cur);
        cur.pop();
      }
    };
    rec(0, []);
    choices.push(out);
  }
  const sel = new Uint8Array(inst.optOffer.length);
  let best: number | null = null;
  const walk = (i: number, v: number) => {
    if (i === n) {
      if (violations(inst, cons, sel).length === 0 && (best === null || v > best)) best = v;
      return;
    }
    for (const c of choices[i]) {
      let x = v;
      for (const p of c) {
        sel[p] = 1;
        x += inst.optReturn[p];
      }
      walk(i + 1, x);
      for (const p of c) sel[p] = 0;
    }
  };
  walk(0, 0);
  return best;
}
