// Sequencing: `offer` only to customers who received `after` at least `minDays` before the
// campaign date. The others lose the offer's options (of the rule's cells). Report row: plan
// contacts the rule forbids (bound 0).
import { ALL, cellMask, matches } from "../option-filter";
import type { SequencingPolicy } from "../policy-types";
import type { RuleKind } from "../rule-kinds";
import { forbidCells } from "./common";

export const sequencing: RuleKind<SequencingPolicy> = {
  kind: "sequencing",
  check(p, inst) {
    const O = inst.offerIds.length;
    if (p.qualified.length !== inst.numCustomers) return "qualified length";
    return p.offer < 0 || p.offer >= O || p.after < 0 || p.after >= O ? "offers" : null;
  },
  forbid(p, c) {
    const cells = cellMask(p.filter ?? ALL, c.O, c.K);
    for (let i = 0; i < c.n; i++) {
      c.stop.every(i);
      if (!p.qualified[i]) forbidCells(c, i, cells, p.offer);
    }
  },
  report(p, inst, ch) {
    const K = inst.channelIds.length;
    const cells = cellMask(p.filter ?? ALL, inst.offerIds.length, K);
    let bad = 0;
    for (let t = 0; t < ch.n; t++) {
      const q = ch.opt[t];
      const o = inst.optOffer[q];
      if (p.qualified[ch.cust[t]] || o !== p.offer) continue;
      if (cells[o * K + inst.optChannel[q]]) bad++;
    }
    const base = { name: p.name, kind: p.kind, reportOnly: p.reportOnly, unit: 1 } as const;
    return [{ ...base, sense: "LE", activity: bad, bound: 0 }];
  },
  exceptions(p, d) {
    const { numCustomers: n, custStart: start, optOffer: offer, optChannel: channel } = d.inst;
    for (let i = 0; i < n; i++) {
      if (p.qualified[i]) continue;
      for (let q = start[i]; q < start[i + 1]; q++) {
        if (offer[q] === p.offer && matches(p.filter ?? ALL, offer[q], channel[q])) {
          d.consider(i, q);
        }
      }
    }
  },
};
