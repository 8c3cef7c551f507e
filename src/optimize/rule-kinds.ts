// Every contact-policy kind described once for the core, as one entry of this registry: how its
// input is checked, which options it forbids, which per-customer limit or coupling row it becomes
// (policies.ts compiles through these), its constraint-report rows and the options an exception
// to it would let in (policy-report.ts). The entries live in rules/, one file per kind.
//
// Outside the core each layer keeps its own part of a kind, in a registry of the same shape: the
// contract (src/domain/policy-rules.ts), the facts for a campaign date (src/db/policy-facts.ts)
// and the explanation (src/services/explain-policies.ts). A kind registered at run time (a test's)
// is not a member of the Policy union: it reaches the core as a Policy by a cast.
import type { Instance } from "./instance";
import type { ExtraRowSpec, HouseholdLimit, LocalClass } from "./policies";
import type { Policy, PolicyKind } from "./policy-types";
import type { PolicyRow } from "./policy-report";
import type { StopCheck } from "./stop";
import { coolOff } from "./rules/cool-off";
import { customCapacity } from "./rules/custom-capacity";
import { fatigue } from "./rules/fatigue";
import { household } from "./rules/household";
import { mutualExclusion } from "./rules/mutual-exclusion";
import { sequencing } from "./rules/sequencing";

/** What every policy has, whatever its kind. */
export interface PolicyShape {
  kind: string;
  name: string;
  reportOnly: boolean;
}

/** What a kind's compilation sees: the input instance and the option marks it may set. */
export interface CompileContext {
  inst: Instance;
  n: number;
  /** offers, channels */
  O: number;
  K: number;
  /** offers a customer may take */
  M: number;
  stop: StopCheck;
  /** per input option: 0 = allowed, else the tag of the first rule forbidding it */
  blockedBy: Uint16Array;
  /** this rule's tag: 1 + its index in cons.policies */
  tag: number;
}

/** The selected options and their customers, in customer order (a plan is mostly zeros). */
export interface Chosen {
  n: number;
  cust: Int32Array;
  opt: Int32Array;
}

/** What a kind's dual sees: the plan, and a way to offer one customer's option as an exception. */
export interface DualContext {
  inst: Instance;
  selected: Uint8Array;
  /** the gain of letting option p of customer i past the rule is a candidate for its dual */
  consider(i: number, p: number): void;
}

export interface RuleKind<P extends PolicyShape = PolicyShape> {
  readonly kind: P["kind"];
  /** what is wrong with the policy's per-customer arrays for this instance, or null */
  check(p: P, inst: Instance): string | null;
  /** marks (CompileContext.blockedBy) the options no method may choose */
  forbid?(p: P, c: CompileContext): void;
  /** the limit on one customer's own selection it becomes, if it binds */
  localClass?(p: P, c: CompileContext): LocalClass | null;
  /** the limit tying a household's customers together, if it binds */
  household?(p: P, c: CompileContext): HouseholdLimit | null;
  /** coupling rows over the input instance's options (priced like the budget) */
  rows?(p: P, inst: Instance, stop: StopCheck): ExtraRowSpec[];
  /** its constraint-report rows, written plainly from the definition */
  report(p: P, inst: Instance, chosen: Chosen): PolicyRow[];
  /** offers every exception to the rule to d.consider; absent = priced as a coupling row */
  exceptions?(p: P, d: DualContext): void;
  /** turns its rows' duals (in `duals`, by row name) into the report's units */
  reportDuals?(p: P, inst: Instance, selected: Uint8Array, duals: Map<string, number>): void;
}

/** The built-in kinds: a kind of the Policy union without an entry does not compile. */
const BUILT_IN: { [K in PolicyKind]: RuleKind<Extract<Policy, { kind: K }>> } = {
  fatigue,
  cool_off: coolOff,
  mutual_exclusion: mutualExclusion,
  sequencing,
  household,
  custom_capacity: customCapacity,
};

const KINDS = new Map<string, RuleKind>(Object.entries(BUILT_IN) as [string, RuleKind][]);

/** Adds a kind; returns the function that takes it out again. */
export function registerRuleKind<P extends PolicyShape>(entry: RuleKind<P>): () => void {
  if (KINDS.has(entry.kind)) throw new Error(`policy kind ${entry.kind} is registered already`);
  KINDS.set(entry.kind, entry as unknown as RuleKind);
  return () => KINDS.delete(entry.kind);
}

export function ruleKind(kind: string): RuleKind {
  const entry = KINDS.get(kind);
  if (entry === undefined)
    throw new Error(`invalid optimisation input: unknown policy kind ${kind}`);
  return entry;
}
