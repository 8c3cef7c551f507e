// A constraint set's contact policies resolved against a dataset's ids (offers, channels, offer
// categories) into PolicySpecs, with a report name each. The contact history and the customer
// attributes come later (src/db/policy-facts.ts), for a campaign date.
import type { ConstraintSetDefinition, FieldProblem } from "./constraint-set";
import type { PolicySpec, SpecFilter } from "./policy-spec";
import { ConstraintResolutionError } from "./resolution-error";
import {
  coolOffRuleName,
  customCapacityName,
  exclusionRuleName,
  fatigueRuleName,
  householdRuleName,
  sequencingRuleName,
} from "./rule-names";

export interface PolicyContext {
  offerIds: readonly string[];
  channelIds: readonly string[];
  /** per offer: its category, or null */
  offerCategory: readonly (string | null)[];
}

export function hasPolicies(def: ConstraintSetDefinition): boolean {
  return (
    (def.fatigueRules?.length ?? 0) +
      (def.coolOffRules?.length ?? 0) +
      (def.exclusionRules?.length ?? 0) +
      (def.sequencingRules?.length ?? 0) +
      (def.customCapacities?.length ?? 0) +
      (def.householdRules?.length ?? 0) >
    0
  );
}

export function resolvePolicies(def: ConstraintSetDefinition, ctx: PolicyContext): PolicySpec[] {
  const problems: FieldProblem[] = [];
  const offers = new Map(ctx.offerIds.map((id, i) => [id, i]));
  const channels = new Map(ctx.channelIds.map((id, i) => [id, i]));
  const offer = (id: string, path: string): number => {
    const o = offers.get(id);
    if (o === undefined) problems.push({ path, message: `unknown offer "${id}"` });
    return o ?? -1;
  };
  const channel = (id: string, path: string): number => {
    const k = channels.get(id);
    if (k === undefined) problems.push({ path, message: `unknown channel "${id}"` });
    return k ?? -1;
  };
  const category = (name: string, path: string): number[] => {
    const list: number[] = [];
    ctx.offerCategory.forEach((c, o) => {
      if (c === name) list.push(o);
    });
    if (list.length === 0) problems.push({ path, message: `no offer has category "${name}"` });
    return list;
  };
  /** offers named by offerId / offerCategory (null = all) */
  const offerFilter = (
    r: { offerId?: string | null; offerCategory?: string | null },
    path: string,
  ): { offers: number[] | null } => {
    if (r.offerId != null) return { offers: [offer(r.offerId, `${path}.offerId`)] };
    if (r.offerCategory != null)
      return { offers: category(r.offerCategory, `${path}.offerCategory`) };
    return { offers: null };
  };

  const out: { spec: PolicySpec; path: string }[] = [];
  (def.fatigueRules ?? []).forEach((r, n) => {
    const path = `fatigueRules.${n}`;
    const of = offerFilter(r, path);
    const filter: SpecFilter = {
      offers: of.offers,
      channels: r.channelId == null ? null : [channel(r.channelId, `${path}.channelId`)],
    };
    const name = fatigueRuleName(r);
    out.push({
      path,
      spec: {
        kind: "fatigue",
        name,
        reportOnly: r.reportOnly,
        limit: r.maxContacts,
        windowDays: r.windowDays,
        filter,
      },
    });
  });
  (def.coolOffRules ?? []).forEach((r, n) => {
    const path = `coolOffRules.${n}`;
    const of = offerFilter(r, path);
    out.push({
      path,
      spec: {
        kind: "cool_off",
        name: coolOffRuleName(r),
        reportOnly: r.reportOnly,
        days: r.days,
        offers: of.offers,
      },
    });
  });
  (def.exclusionRules ?? []).forEach((r, n) => {
    const path = `exclusionRules.${n}`;
    out.push({
      path,
      spec: {
        kind: "mutual_exclusion",
        name: exclusionRuleName(r),
        reportOnly: r.reportOnly,
        offers: r.offerIds.map((id, t) => offer(id, `${path}.offerIds.${t}`)),
      },
    });
  });
  (def.sequencingRules ?? []).forEach((r, n) => {
    const path = `sequencingRules.${n}`;
    out.push({
      path,
      spec: {
        kind: "sequencing",
        name: sequencingRuleName(r),
        reportOnly: r.reportOnly,
        offer: offer(r.offerId, `${path}.offerId`),
        after: offer(r.afterOfferId, `${path}.afterOfferId`),
        minDays: r.minDays,
      },
    });
  });
  (def.customCapacities ?? []).forEach((r, n) => {
    const path = `customCapacities.${n}`;
    const of = offerFilter(r, path);
    out.push({
      path,
      spec: {
        kind: "custom_capacity",
        name: customCapacityName(r),
        reportOnly: r.reportOnly,
        aggregate: r.aggregate,
        max: r.max ?? null,
        min: r.min ?? null,
        filter: {
          offers: of.offers,
          channels: r.channelId == null ? null : [channel(r.channelId, `${path}.channelId`)],
        },
        attribute: r.attribute ?? null,
        field: r.field ?? null,
      },
    });
  });
  (def.householdRules ?? []).forEach((r, n) => {
    out.push({
      path: `householdRules.${n}`,
      spec: {
        kind: "household",
        name: householdRuleName(r),
        reportOnly: r.reportOnly,
        limit: r.maxOffers,
        attribute: r.attribute,
      },
    });
  });

  const first = new Map<string, string>();
  for (const { spec, path } of out) {
    const before = first.get(spec.name);
    if (before !== undefined) {
      problems.push({
        path: `${path}.name`,
        message: `duplicate rule name "${spec.name}" (also at ${before}); give one a name`,
      });
    } else first.set(spec.name, path);
  }
  if (problems.length > 0) throw new ConstraintResolutionError(problems);
  return out.map((x) => x.spec);
}
