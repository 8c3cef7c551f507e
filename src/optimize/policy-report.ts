// The constraint-report rows of the contact policies, written plainly from their definitions
// (like evaluate.ts, and sharing nothing with the compiled form in policies.ts), and the dual of
// each per-customer rule.
//
// Rows: fatigue — the most contacts any customer the plan reaches in the rule's class has in the
// window (history + plan) against the limit; cool-off and sequencing — plan contacts the rule
// forbids (bound 0); mutual exclusion — the most offers of the group one customer gets (bound 1);
// household — the most contacts in one household; custom capacity — the sum, or the average, of
// the measure over the matching contacts.
//
// Duals: a custom capacity is a coupling row, priced by the LP / Lagrangian like the budget. A
// per-customer rule has one multiplier per customer; its report dual is the marginal value of one
// exception: the most the objective gains, at the plan's prices, by letting one customer (or
// household) past the rule, net of what that customer gives up to make room. 0 = the rule costs
// nothing at the margin.

import type { Instance, PlanConstraints } from "./instance";
import { ALL, cellMask, customRowName, matches, measureOf } from "./policies";
import type { Policy } from "./policy-types";
import type { ConstraintKind, Sense } from "./types";

export interface PolicyRow {
  name: string;
  kind: ConstraintKind;
  sense: Sense;
  activity: number;
  bound: number;
  unit: number;
  reportOnly: boolean;
  /** how far past the bound, when not to be judged from activity and bound (averages) */
  excess?: number;
}

export function policyRows(
  inst: Instance,
  cons: PlanConstraints,
  selected: Uint8Array,
): PolicyRow[] {
  const chosen = chosenOptions(inst, selected);
  const out: PolicyRow[] = [];
  for (const pol of cons.policies ?? []) out.push(...rowsOf(inst, pol, chosen));
  return out;
}

/** The selected options and their customers, in customer order (a plan is mostly zeros). */
interface Chosen {
  n: number;
  cust: Int32Array;
  opt: Int32Array;
}

function chosenOptions(inst: Instance, sel: Uint8Array): Chosen {
  let n = 0;
  for (let p = 0; p < sel.length; p++) if (sel[p]) n++;
  const cust = new Int32Array(n);
  const opt = new Int32Array(n);
  let w = 0;
  for (let i = 0; i < inst.numCustomers; i++) {
    for (let p = inst.custStart[i]; p < inst.custStart[i + 1]; p++) {
      if (sel[p]) {
        cust[w] = i;
        opt[w++] = p;
      }
    }
  }
  return { n, cust, opt };
}

/** Most chosen options per key (customer, household) among those counted; keys in runs or not. */
function mostPerKey(ch: Chosen, key: (i: number) => number, counted: (p: number) => boolean) {
  const count = new Map<number, number>();
  for (let t = 0; t < ch.n; t++) {
    if (!counted(ch.opt[t])) continue;
    const k = key(ch.cust[t]);
    if (k < 0) continue;
    count.set(k, (count.get(k) ?? 0) + 1);
  }
  return count;
}

function rowsOf(inst: Instance, pol: Policy, ch: Chosen): PolicyRow[] {
  const offer = inst.optOffer;
  const channel = inst.optChannel;
  const K = inst.channelIds.length;
  const O = inst.offerIds.length;
  const base = { name: pol.name, kind: pol.kind, reportOnly: pol.reportOnly, unit: 1 } as const;
  switch (pol.kind) {
    case "fatigue": {
      const cells = cellMask(pol.filter, O, K);
      const count = mostPerKey(
        ch,
        (i) => i,
        (p) => cells[offer[p] * K + channel[p]] === 1,
      );
      let worst = 0;
      for (const [i, c] of count) worst = Math.max(worst, pol.prior[i] + c);
      return [{ ...base, sense: "LE", activity: worst, bound: pol.limit }];
    }
    case "cool_off": {
      const blocked = new Set<number>();
      for (let t = 0; t < pol.blockedCustomer.length; t++) {
        blocked.add(pol.blockedCustomer[t] * O + pol.blockedOffer[t]);
      }
      const cells = cellMask(pol.filter ?? ALL, O, K);
      let bad = 0;
      for (let t = 0; t < ch.n; t++) {
        const p = ch.opt[t];
        if (blocked.has(ch.cust[t] * O + offer[p]) && cells[offer[p] * K + channel[p]]) bad++;
      }
      return [{ ...base, sense: "LE", activity: bad, bound: 0 }];
    }
    case "sequencing": {
      const cells = cellMask(pol.filter ?? ALL, O, K);
      let bad = 0;
      for (let t = 0; t < ch.n; t++) {
        const p = ch.opt[t];
        if (pol.qualified[ch.cust[t]] || offer[p] !== pol.offer) continue;
        if (cells[offer[p] * K + channel[p]]) bad++;
      }
      return [{ ...base, sense: "LE", activity: bad, bound: 0 }];
    }
    case "mutual_exclusion": {
      const count = mostPerKey(
        ch,
        (i) => i,
        (p) => pol.offers.includes(offer[p]),
      );
      let worst = 0;
      for (const c of count.values()) worst = Math.max(worst, c);
      return [{ ...base, sense: "LE", activity: worst, bound: 1 }];
    }
    case "household": {
      const count = mostPerKey(
        ch,
        (i) => pol.household[i],
        () => true,
      );
      let worst = 0;
      for (const c of count.values()) worst = Math.max(worst, c);
      return [{ ...base, sense: "LE", activity: worst, bound: pol.limit }];
    }
    case "custom_capacity": {
      const cells = cellMask(pol.filter, O, K);
      let sum = 0;
      let abs = 0;
      let cnt = 0;
      for (let t = 0; t < ch.n; t++) {
        const p = ch.opt[t];
        if (!cells[offer[p] * K + channel[p]]) continue;
        const v = measureOf(pol, inst, ch.cust[t], p);
        if (Number.isNaN(v)) continue; // only a report-only rule lets such a contact through
        sum += v;
        abs += Math.abs(v);
        cnt++;
      }
      const rows: PolicyRow[] = [];
      const side = (s: "max" | "min", bound: number): PolicyRow => {
        const sense: Sense = s === "max" ? "LE" : "GE";
        const sign = s === "max" ? 1 : -1;
        if (pol.aggregate === "SUM") {
          return {
            ...base,
            name: customRowName(pol, s),
            sense,
            activity: sum,
            bound,
            unit: cnt > 0 ? abs / cnt : 1,
          };
        }
        // an average over no contacts holds any bound (the row Σ (a − b)·x is 0)
        const avg = cnt > 0 ? sum / cnt : bound;
        return {
          ...base,
          name: customRowName(pol, s),
          sense,
          activity: avg,
          bound,
          unit: cnt > 0 ? Math.max(abs / cnt, 1e-9) / cnt : 1,
          excess: cnt > 0 ? (sign * (sum - bound * cnt)) / cnt : 0,
        };
      };
      if (pol.max !== null) rows.push(side("max", pol.max));
      if (pol.min !== null) rows.push(side("min", pol.min));
      return rows;
    }
  }
}

/**
 * Dual of every per-customer policy (see the file comment), from the reduced value of every
 * input option at the plan's prices (`value`). `scale` divides (the plan's cost, for ROMI).
 */
export function policyDuals(
  inst: Instance,
  cons: PlanConstraints,
  selected: Uint8Array,
  value: Float64Array,
  scale: number,
): Map<string, number> {
  const out = new Map<string, number>();
  const M = cons.maxOffersPerCustomer;
  const n = inst.numCustomers;
  const start = inst.custStart;
  const offer = inst.optOffer;
  const channel = inst.optChannel;
  // what customer i gives up to take option p: nothing with a free slot, else its weakest
  // selected option (or the option holding the same offer)
  const room = (i: number, p: number): number => {
    let count = 0;
    let weakest = Infinity;
    for (let q = start[i]; q < start[i + 1]; q++) {
      if (!selected[q]) continue;
      if (offer[q] === offer[p]) return value[q];
      count++;
      weakest = Math.min(weakest, value[q]);
    }
    return count < M ? 0 : weakest;
  };
  for (const pol of cons.policies ?? []) {
    if (pol.reportOnly || pol.kind === "custom_capacity") continue;
    let best = 0;
    const consider = (i: number, p: number, giveUp: number) => {
      if (selected[p]) return;
      const g = value[p] - Math.max(giveUp, room(i, p));
      if (g > best) best = g;
    };
    switch (pol.kind) {
      case "cool_off": {
        for (let t = 0; t < pol.blockedCustomer.length; t++) {
          const i = pol.blockedCustomer[t];
          for (let p = start[i]; p < start[i + 1]; p++) {
            if (
              offer[p] === pol.blockedOffer[t] &&
              matches(pol.filter ?? ALL, offer[p], channel[p])
            ) {
              consider(i, p, 0);
            }
          }
        }
        break;
      }
      case "sequencing":
        for (let i = 0; i < n; i++) {
          if (pol.qualified[i]) continue;
          for (let p = start[i]; p < start[i + 1]; p++)
            if (offer[p] === pol.offer && matches(pol.filter ?? ALL, offer[p], channel[p])) {
              consider(i, p, 0);
            }
        }
        break;
      case "fatigue":
      case "mutual_exclusion": {
        const cells =
          pol.kind === "fatigue"
            ? cellMask(pol.filter, inst.offerIds.length, inst.channelIds.length)
            : cellMask(
                {
                  offers: Uint8Array.from(inst.offerIds, (_, o) =>
                    pol.offers.includes(o) ? 1 : 0,
                  ),
                  channels: null,
                },
                inst.offerIds.length,
                inst.channelIds.length,
              );
        const K = inst.channelIds.length;
        const cap = pol.kind === "fatigue" ? pol.limit : 1;
        for (let i = 0; i < n; i++) {
          let used = pol.kind === "fatigue" ? pol.prior[i] : 0;
          if (used < cap) {
            for (let p = start[i]; p < start[i + 1]; p++) {
              if (selected[p] && cells[offer[p] * K + channel[p]]) used++;
            }
            if (used < cap) continue;
          }
          // full: an exception lets one more option of the class in
          for (let p = start[i]; p < start[i + 1]; p++) {
            if (cells[offer[p] * K + channel[p]]) consider(i, p, 0);
          }
        }
        break;
      }
      case "household": {
        const used = new Map<number, number>();
        for (let i = 0; i < n; i++) {
          const h = pol.household[i];
          if (h < 0) continue;
          let c = 0;
          for (let p = start[i]; p < start[i + 1]; p++) if (selected[p]) c++;
          if (c > 0) used.set(h, (used.get(h) ?? 0) + c);
        }
        for (let i = 0; i < n; i++) {
          const h = pol.household[i];
          if (h < 0 || (used.get(h) ?? 0) < pol.limit) continue;
          for (let p = start[i]; p < start[i + 1]; p++) consider(i, p, 0);
        }
        break;
      }
    }
    out.set(pol.name, best / scale + 0);
  }
  return out;
}
