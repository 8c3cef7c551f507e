// Mutual exclusion: never more than one of `offers` to the same customer in one plan. With one
// offer per customer it cannot bind; otherwise it is a local class of cap 1. Report row: the most
// offers of the group one customer gets (bound 1).
import { cellMask } from "../option-filter";
import type { ExclusionPolicy } from "../policy-types";
import type { RuleKind } from "../rule-kinds";
import { countPerKey, exceptionsWhenFull, most } from "./common";

export const mutualExclusion: RuleKind<ExclusionPolicy> = {
  kind: "mutual_exclusion",
  check(p, inst) {
    const O = inst.offerIds.length;
    return p.offers.length < 2 || p.offers.some((o) => o < 0 || o >= O) ? "offers" : null;
  },
  localClass(p, c) {
    if (c.M <= 1) return null;
    const mask = new Uint8Array(c.O * c.K);
    for (const o of p.offers) mask.fill(1, o * c.K, (o + 1) * c.K);
    return { name: p.name, mask, cap: new Uint8Array(c.n).fill(1) };
  },
  report(p, inst, ch) {
    const count = countPerKey(
      ch,
      (i) => i,
      (q) => p.offers.includes(inst.optOffer[q]),
    );
    const base = { name: p.name, kind: p.kind, reportOnly: p.reportOnly, unit: 1 } as const;
    return [{ ...base, sense: "LE", activity: most(count), bound: 1 }];
  },
  exceptions(p, d) {
    const { offerIds, channelIds } = d.inst;
    const offers = Uint8Array.from(offerIds, (_, o) => (p.offers.includes(o) ? 1 : 0));
    const cells = cellMask({ offers, channels: null }, offerIds.length, channelIds.length);
    exceptionsWhenFull(d, cells, 1, null);
  },
};
