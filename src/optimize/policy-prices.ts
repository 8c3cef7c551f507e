// Prices of the contact policies for the report: the reduced value of every input option
// (blocked ones included) at a plan's prices, the duals of the per-customer rules from them, the
// custom averages' duals in the report's units, and the policies named by a failed run.

import type { Coupling } from "./coupling";
import type { Instance, PlanConstraints } from "./instance";
import { priceTable, type ObjectiveWeights } from "./lagrangian";
import type { CompiledPolicies } from "./policies";
import { policyDuals } from "./policy-report";
import { ruleKind } from "./rule-kinds";

/** Reduced value of every option of the input instance at ≤-form prices lambda. */
export function inputValues(
  inst: Instance,
  cp: Coupling,
  compiled: CompiledPolicies,
  lambda: Float64Array,
  w: ObjectiveWeights,
): Float64Array {
  const { alpha, beta, phi } = priceTable(cp, lambda, w);
  const nOpt = inst.optOffer.length;
  const v = new Float64Array(nOpt);
  const { optOffer: offer, optChannel: channel, optReturn: r, optCost: c } = inst;
  const O = cp.numOffers;
  const K = cp.numChannels;
  for (let i = 0; i < inst.numCustomers; i++) {
    const seg = inst.customerSegment[i];
    const base = (seg >= 0 ? cp.slotOfSegment[seg] : 0) * O;
    for (let p = inst.custStart[i]; p < inst.custStart[i + 1]; p++) {
      v[p] = alpha * r[p] + beta * c[p] - phi[(base + offer[p]) * K + channel[p]];
    }
  }
  compiled.extraRowsInput.forEach((x, t) => {
    const j = cp.extraRow[t];
    const ls = lambda[j] * cp.sign[j];
    if (ls === 0) return;
    for (let p = 0; p < nOpt; p++) v[p] -= ls * x.coef[p];
  });
  return v;
}

/**
 * The method's duals plus every per-customer policy's (null prices: none), each in the report's
 * units (a custom average's per unit of its bound: its rule kind's reportDuals).
 */
export function withPolicyDuals(
  inst: Instance,
  cons: PlanConstraints,
  selected: Uint8Array,
  duals: Map<string, number>,
  values: Float64Array | null,
): Map<string, number> {
  const out = new Map(duals);
  let cost = 0;
  for (let p = 0; p < selected.length; p++) if (selected[p]) cost += inst.optCost[p];
  const scale = cons.objective === "ROMI" && cost > 0 ? cost : 1;
  if (values !== null) {
    for (const [name, d] of policyDuals(inst, cons, selected, values, scale)) out.set(name, d);
  }
  for (const pol of cons.policies ?? []) ruleKind(pol.kind).reportDuals?.(pol, inst, selected, out);
  return out;
}

/**
 * Offer minimums the policies make unreachable by counting: customers still eligible for the
 * offer after the policies, against its minimum, with the rules that took the others away.
 */
export function policyConflicts(
  inst: Instance,
  cons: PlanConstraints,
  compiled: CompiledPolicies,
): string[] {
  const blockedBy = compiled.blockedBy;
  if (blockedBy === null) return [];
  const policies = cons.policies ?? [];
  const O = inst.offerIds.length;
  const before = new Float64Array(O);
  const after = new Float64Array(O);
  const byRule = policies.map(() => new Float64Array(O));
  const stampB = new Int32Array(O).fill(-1);
  const stampA = new Int32Array(O).fill(-1);
  const stampR = policies.map(() => new Int32Array(O).fill(-1));
  for (let i = 0; i < inst.numCustomers; i++) {
    for (let p = inst.custStart[i]; p < inst.custStart[i + 1]; p++) {
      const o = inst.optOffer[p];
      if (stampB[o] !== i) {
        stampB[o] = i;
        before[o]++;
      }
      const b = blockedBy[p];
      if (b === 0) {
        if (stampA[o] !== i) {
          stampA[o] = i;
          after[o]++;
        }
      } else if (stampR[b - 1][o] !== i) {
        stampR[b - 1][o] = i;
        byRule[b - 1][o]++;
      }
    }
  }
  const out: string[] = [];
  for (let o = 0; o < O; o++) {
    const min = cons.offerMin[o];
    if (!(min > after[o]) || min > before[o]) continue;
    const rules = policies
      .map((pol, r) => ({ name: pol.name, n: byRule[r][o] }))
      .filter((x) => x.n > 0)
      .map((x) => `${x.name} excludes ${x.n.toLocaleString("en-US")}`)
      .join(", ");
    out.push(
      `offer_min:${inst.offerIds[o]} needs ${min.toLocaleString("en-US")} customers; ` +
        `${after[o].toLocaleString("en-US")} remain eligible after the contact policies (${rules})`,
    );
  }
  return out;
}
