// Cool-off: an offer is not repeated to a customer within `days` of the last contact with it. The
// (customer, offer) pairs contacted inside the window lose their options (of the rule's cells: a
// calendar's wave narrows them). Report row: plan contacts the rule forbids (bound 0).
import { ALL, cellMask, matches } from "../option-filter";
import type { CoolOffPolicy } from "../policy-types";
import type { RuleKind } from "../rule-kinds";
import { forbidCells } from "./common";

export const coolOff: RuleKind<CoolOffPolicy> = {
  kind: "cool_off",
  check(p, inst) {
    if (p.blockedCustomer.length !== p.blockedOffer.length) return "blocked pairs";
    const n = inst.numCustomers;
    const O = inst.offerIds.length;
    for (let t = 0; t < p.blockedCustomer.length; t++) {
      const i = p.blockedCustomer[t];
      const o = p.blockedOffer[t];
      if (i < 0 || i >= n || o < 0 || o >= O) return `blocked pair ${t} out of range`;
    }
    return null;
  },
  forbid(p, c) {
    const cells = cellMask(p.filter ?? ALL, c.O, c.K);
    for (let t = 0; t < p.blockedCustomer.length; t++) {
      c.stop.every(t);
      forbidCells(c, p.blockedCustomer[t], cells, p.blockedOffer[t]);
    }
  },
  report(p, inst, ch) {
    const O = inst.offerIds.length;
    const K = inst.channelIds.length;
    const blocked = new Set<number>();
    for (let t = 0; t < p.blockedCustomer.length; t++) {
      blocked.add(p.blockedCustomer[t] * O + p.blockedOffer[t]);
    }
    const cells = cellMask(p.filter ?? ALL, O, K);
    let bad = 0;
    for (let t = 0; t < ch.n; t++) {
      const q = ch.opt[t];
      const o = inst.optOffer[q];
      if (blocked.has(ch.cust[t] * O + o) && cells[o * K + inst.optChannel[q]]) bad++;
    }
    const base = { name: p.name, kind: p.kind, reportOnly: p.reportOnly, unit: 1 } as const;
    return [{ ...base, sense: "LE", activity: bad, bound: 0 }];
  },
  exceptions(p, d) {
    const { custStart: start, optOffer: offer, optChannel: channel } = d.inst;
    for (let t = 0; t < p.blockedCustomer.length; t++) {
      const i = p.blockedCustomer[t];
      for (let q = start[i]; q < start[i + 1]; q++) {
        if (offer[q] === p.blockedOffer[t] && matches(p.filter ?? ALL, offer[q], channel[q])) {
          d.consider(i, q);
        }
      }
    }
  },
};
