// Fatigue: at most `limit` contacts matching the filter in a rolling window, history included.
// A customer whose window is full loses the matching options; one with room for fewer than the
// offers it may take gets a local class. Report row: the most contacts any reached customer has
// in the window (history + plan) against the limit.
import { cellMask, filterFits } from "../option-filter";
import type { FatiguePolicy } from "../policy-types";
import type { RuleKind } from "../rule-kinds";
import { countPerKey, exceptionsWhenFull, forbidCells } from "./common";

export const fatigue: RuleKind<FatiguePolicy> = {
  kind: "fatigue",
  check(p, inst) {
    if (p.prior.length !== inst.numCustomers) return "prior length";
    if (!filterFits(p.filter, inst)) return "filter length";
    return p.limit >= 0 ? null : "limit";
  },
  forbid(p, c) {
    const cells = cellMask(p.filter, c.O, c.K);
    for (let i = 0; i < c.n; i++) {
      c.stop.every(i);
      if (p.prior[i] >= p.limit) forbidCells(c, i, cells);
    }
  },
  localClass(p, c) {
    if (c.M <= 1) return null;
    const cap = new Uint8Array(c.n).fill(255);
    let binds = false;
    for (let i = 0; i < c.n; i++) {
      c.stop.every(i);
      const room = p.limit - p.prior[i];
      if (room > 0 && room < c.M) {
        cap[i] = room;
        binds = true;
      }
    }
    return binds ? { name: p.name, mask: cellMask(p.filter, c.O, c.K), cap } : null;
  },
  report(p, inst, ch) {
    const K = inst.channelIds.length;
    const cells = cellMask(p.filter, inst.offerIds.length, K);
    const count = countPerKey(
      ch,
      (i) => i,
      (q) => cells[inst.optOffer[q] * K + inst.optChannel[q]] === 1,
    );
    let worst = 0;
    for (const [i, c] of count) worst = Math.max(worst, p.prior[i] + c);
    const base = { name: p.name, kind: p.kind, reportOnly: p.reportOnly, unit: 1 } as const;
    return [{ ...base, sense: "LE", activity: worst, bound: p.limit }];
  },
  exceptions(p, d) {
    const cells = cellMask(p.filter, d.inst.offerIds.length, d.inst.channelIds.length);
    exceptionsWhenFull(d, cells, p.limit, (i) => p.prior[i]);
  },
};
