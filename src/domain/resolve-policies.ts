// A constraint set's contact policies resolved against a dataset's ids (offers, channels, offer
// categories) into PolicySpecs, with a report name each. The contact history and the customer
// attributes come later (src/db/policy-facts.ts), for a campaign date. How each kind resolves is
// its entry in policy-rules.ts.
import type { ConstraintSetDefinition, FieldProblem } from "./constraint-set";
import { policyRules, rulesIn, type RuleResolver } from "./policy-rules";
import type { PolicySpec } from "./policy-spec";
import { ConstraintResolutionError } from "./resolution-error";

export interface PolicyContext {
  offerIds: readonly string[];
  channelIds: readonly string[];
  /** per offer: its category, or null */
  offerCategory: readonly (string | null)[];
}

export function hasPolicies(def: ConstraintSetDefinition): boolean {
  return policyRules().some((rule) => rulesIn(def, rule).length > 0);
}

export function resolvePolicies(def: ConstraintSetDefinition, ctx: PolicyContext): PolicySpec[] {
  const problems: FieldProblem[] = [];
  const ids = resolver(ctx, problems);
  const out: { spec: PolicySpec; path: string }[] = [];
  for (const rule of policyRules()) {
    rulesIn(def, rule).forEach((r, n) => {
      const path = `${rule.field}.${n}`;
      out.push({ path, spec: rule.resolve(r, path, ids) });
    });
  }
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

/** The dataset's ids as indexes; an unknown one is added to `problems` (and resolves to -1). */
function resolver(ctx: PolicyContext, problems: FieldProblem[]): RuleResolver {
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
  return {
    offer,
    channel,
    offers(r, path) {
      if (r.offerId != null) return [offer(r.offerId, `${path}.offerId`)];
      if (r.offerCategory != null) return category(r.offerCategory, `${path}.offerCategory`);
      return null;
    },
  };
}
