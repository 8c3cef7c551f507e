// The constraint-report rows of the contact policies, written plainly from their definitions
// (like evaluate.ts, and sharing nothing with the compiled form in policies.ts), and the dual of
// each per-customer rule. What each kind's rows are is said with its entry in rules/ (the
// registry, rule-kinds.ts); this file walks the plan once and asks every rule for its rows.
//
// Duals: a custom capacity is a coupling row, priced by the LP / Lagrangian like the budget. A
// per-customer rule has one multiplier per customer; its report dual is the marginal value of one
// exception: the most the objective gains, at the plan's prices, by letting one customer (or
// household) past the rule, net of what that customer gives up to make room. 0 = the rule costs
// nothing at the margin.

import type { Instance, PlanConstraints } from "./instance";
import { ruleKind, type Chosen } from "./rule-kinds";
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
  for (const pol of cons.policies ?? []) out.push(...ruleKind(pol.kind).report(pol, inst, chosen));
  return out;
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
  const start = inst.custStart;
  const offer = inst.optOffer;
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
    const kind = ruleKind(pol.kind);
    if (pol.reportOnly || kind.exceptions === undefined) continue;
    let best = 0;
    const consider = (i: number, p: number) => {
      if (selected[p]) return;
      const g = value[p] - Math.max(0, room(i, p));
      if (g > best) best = g;
    };
    kind.exceptions(pol, { inst, selected, consider });
    out.set(pol.name, best / scale + 0);
  }
  return out;
}
