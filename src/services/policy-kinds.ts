// A contact-policy kind across the layers, as one entry: its contract (the constraint set's list,
// schema, names, resolution; src/domain/policy-rules.ts), its core (compilation, report rows,
// dual; src/optimize/rule-kinds.ts), its facts for a campaign date (src/db/policy-facts.ts) and
// its explanation line (explain-policies.ts). Each layer keeps its part in its own registry, since
// the core and the contract import nothing from here; registerPolicyKind puts a kind added at run
// time into all of them at once. The built-in kinds are registered by each layer itself.
import type { z } from "zod";
import { registerPolicyFacts, type FactsLoader } from "../db/policy-facts";
import { registerPolicyRule, type PolicyRule } from "../domain/policy-rules";
import { registerRuleKind, type PolicyShape, type RuleKind } from "../optimize/rule-kinds";
import { registerPolicyExplanation, type PolicyExplanation } from "./explain-policies";

export interface PolicyKind<S extends z.ZodType, Spec, P extends PolicyShape> {
  contract: PolicyRule<S>;
  facts: FactsLoader<Spec>;
  core: RuleKind<P>;
  /** the line about one customer; absent = the rule says nothing in explanations */
  explain?: PolicyExplanation<P>;
}

/** Registers every layer's part of a kind; returns the function that takes them all out again. */
export function registerPolicyKind<S extends z.ZodType, Spec, P extends PolicyShape>(
  entry: PolicyKind<S, Spec, P>,
): () => void {
  const kind = entry.contract.kind;
  if (entry.core.kind !== kind) {
    throw new Error(`policy kind ${kind}: its core entry is of kind ${entry.core.kind}`);
  }
  const removals: (() => void)[] = [];
  const undo = () => removals.splice(0).forEach((remove) => remove());
  try {
    removals.push(registerPolicyRule(entry.contract));
    removals.push(registerPolicyFacts(kind, entry.facts));
    removals.push(registerRuleKind(entry.core));
    if (entry.explain) removals.push(registerPolicyExplanation(kind, entry.explain));
  } catch (e) {
    // a layer that refused the kind (registered already) leaves none of the others holding it
    undo();
    throw e;
  }
  return undo;
}
