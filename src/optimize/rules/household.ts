// Household: at most `limit` contacts per household (customers sharing a household id). A limit
// of 0 takes every member's options out; a positive one that can bind (a household with more
// members × offers per customer than the limit) ties its members together for every move. Report
// row: the most contacts in one household.
import type { HouseholdPolicy } from "../policy-types";
import type { RuleKind } from "../rule-kinds";
import { countPerKey, forbidCells, most } from "./common";

export const household: RuleKind<HouseholdPolicy> = {
  kind: "household",
  check(p, inst) {
    if (p.household.length !== inst.numCustomers) return "household length";
    return p.limit >= 0 ? null : "limit";
  },
  forbid(p, c) {
    if (p.limit !== 0) return;
    for (let i = 0; i < c.n; i++) {
      c.stop.every(i);
      if (p.household[i] >= 0) forbidCells(c, i, null);
    }
  },
  household(p, c) {
    if (p.limit <= 0) return null;
    const { dense, count } = denseHouseholds(p.household);
    // a household no larger than its limit (with every member at M) can never be full
    const size = new Int32Array(count);
    for (let i = 0; i < c.n; i++) if (dense[i] >= 0) size[dense[i]]++;
    let binds = false;
    for (let h = 0; h < count && !binds; h++) if (size[h] * c.M > p.limit) binds = true;
    return binds ? { name: p.name, limit: p.limit, household: dense, numHouseholds: count } : null;
  },
  report(p, _inst, ch) {
    const count = countPerKey(
      ch,
      (i) => p.household[i],
      () => true,
    );
    const base = { name: p.name, kind: p.kind, reportOnly: p.reportOnly, unit: 1 } as const;
    return [{ ...base, sense: "LE", activity: most(count), bound: p.limit }];
  },
  exceptions(p, d) {
    const { numCustomers: n, custStart: start } = d.inst;
    const used = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const h = p.household[i];
      if (h < 0) continue;
      let c = 0;
      for (let q = start[i]; q < start[i + 1]; q++) if (d.selected[q]) c++;
      if (c > 0) used.set(h, (used.get(h) ?? 0) + c);
    }
    for (let i = 0; i < n; i++) {
      const h = p.household[i];
      if (h < 0 || (used.get(h) ?? 0) < p.limit) continue;
      for (let q = start[i]; q < start[i + 1]; q++) d.consider(i, q);
    }
  },
};

/** Household numbers renumbered 0, 1, … in order of first appearance (-1 stays: alone). */
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
