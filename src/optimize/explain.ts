// Why a plan gave one customer what it gave: each of the customer's options priced at the plan's
// dual values, and a sentence that says which constraints made the difference.
//
// The report's dual of a row is the price the plan was built at (CLUSTER_LP: its individual-level
// re-pricing; EXACT: its Lagrangian multipliers), as d objective / d bound of the row (activity −
// bound): the same number the Lagrangian uses as sign·λ (coupling.ts, lagrangian.ts), and 0 on a
// row that does not bind. So an option's value at the margin is its reduced value
// v = r − Σ_j dual_j · a_j(p), with a_j(p) the option's coefficient on row j exactly as coupling.ts
// builds it. A binding ≤ row (budget, capacity, maximum) has dual ≥ 0 and charges every option
// that uses it; a binding ≥ row (minimum, hurdle, min share) has dual ≤ 0 and subsidises options
// that help it. A GREEDY plan has no prices: its options are not priced at all. Works on external
// ids and numbers only: no database.

export interface OptionFacts {
  /** external ids */
  offer: string;
  channel: string;
  expectedReturn: number;
  cost: number;
  /** coefficient on each custom-capacity row by report name (the measure, less the bound of an average) */
  custom?: Record<string, number>;
}

/**
 * What the contact policies say about this customer (src/services computes it for the plan's
 * campaign date): the options a rule forbids, and the state of the per-customer rules.
 */
export interface PolicyFacts {
  /** "offer\u0000channel" → names of the rules that forbid the option for this customer */
  blocked: Map<string, string[]>;
  /** one line per rule that touches the customer, e.g. "fatigue:30d: 3 of 4 contacts in the window used before the campaign" */
  notes: string[];
}

/** A constraint-report row as stored with the plan. */
export interface DualRow {
  name: string;
  kind: string;
  dual: number | null;
}

/** A segment rule as the report names it (resolve-constraints.ts), with external ids. */
export interface RuleFacts {
  name: string;
  kind: "segment_max" | "segment_min_share";
  segment: string;
  /** null = any offer / any channel */
  offer: string | null;
  channel: string | null;
  minShare: number | null;
}

export interface PricingContext {
  /** the customer's segment */
  segment: string | null;
  hurdleRate: number | null;
  rules: RuleFacts[];
  report: DualRow[];
  /**
   * ROMI plans optimise R − (1+q)·C at q = the plan's ROMI (Dinkelbach) and report duals divided
   * by the plan's cost (d ROMI / d bound). Pricing then works in dollars of that objective: each
   * dual is multiplied back by `cost`, and every $ of an option's cost is charged 1 + q.
   */
  romi?: { q: number; cost: number };
}

export interface Charge {
  constraint: string;
  /** per unit of the coefficient, in dollars of the objective */
  dual: number;
  coefficient: number;
  /** dual × coefficient: subtracted from the return; negative = a subsidy */
  amount: number;
}

export interface PricedOption extends OptionFacts {
  reducedValue: number;
  charges: Charge[];
  /** contact policies that forbid this option for the customer (empty = allowed) */
  blockedBy?: string[];
}

/** The pseudo-constraint that prices cost in a ROMI plan. */
export const ROMI_TARGET = "romi_target";

/** The option's coefficient on a report row (0 when it does not touch it or is not priced). */
export function coefficientOn(
  row: Pick<DualRow, "name" | "kind">,
  o: OptionFacts,
  ctx: Pick<PricingContext, "segment" | "hurdleRate" | "rules">,
): number {
  switch (row.kind) {
    case "budget":
      return o.cost;
    case "hurdle":
      return o.expectedReturn - (1 + (ctx.hurdleRate ?? 0)) * o.cost;
    case "capacity":
      return row.name === `capacity:${o.channel}` ? 1 : 0;
    case "offer_min":
    case "offer_max":
      return row.name === `${row.kind}:${o.offer}` ? 1 : 0;
    case "segment_max":
    case "segment_min_share": {
      const rule = ctx.rules.find((r) => r.kind === row.kind && r.name === row.name);
      if (!rule || ctx.segment === null || rule.segment !== ctx.segment) return 0;
      const match =
        (rule.offer === null || rule.offer === o.offer) &&
        (rule.channel === null || rule.channel === o.channel)
          ? 1
          : 0;
      return row.kind === "segment_max" ? match : match - (rule.minShare ?? 0);
    }
    case "custom_capacity":
      return o.custom?.[row.name] ?? 0;
    default:
      // offers_per_customer is per customer: the choice among one's own options, not a price
      return 0;
  }
}

export function priceOption(o: OptionFacts, ctx: PricingContext): PricedOption {
  const scale = ctx.romi ? ctx.romi.cost : 1;
  const charges: Charge[] = [];
  if (ctx.romi) {
    const dual = 1 + ctx.romi.q;
    charges.push({
      constraint: ROMI_TARGET,
      dual,
      coefficient: o.cost,
      amount: dual * o.cost,
    });
  }
  for (const row of ctx.report) {
    if (row.dual === null || row.dual === 0) continue;
    const coefficient = coefficientOn(row, o, ctx);
    if (coefficient === 0) continue;
    const dual = row.dual * scale;
    charges.push({ constraint: row.name, dual, coefficient, amount: dual * coefficient });
  }
  let reducedValue = o.expectedReturn;
  for (const c of charges) reducedValue -= c.amount;
  return { ...o, reducedValue, charges };
}

const TIE = 1e-9;

/** Best reduced value first; ties by expected return, then ids, so the order is stable. */
export function byReducedValue(a: PricedOption, b: PricedOption): number {
  return (
    b.reducedValue - a.reducedValue ||
    b.expectedReturn - a.expectedReturn ||
    a.offer.localeCompare(b.offer) ||
    a.channel.localeCompare(b.channel)
  );
}

export interface ExplainInput {
  customerId: string;
  doNotContact: boolean;
  /** the customer's eligible options now */
  eligible: OptionFacts[];
  /** what the plan gives (as stored with the plan) */
  chosen: OptionFacts[];
  maxOffersPerCustomer: number;
  method: "CLUSTER_LP" | "EXACT" | "GREEDY";
  pricing: PricingContext;
  policies?: PolicyFacts;
}

export interface Explanation {
  chosen: PricedOption[];
  runnerUp: PricedOption | null;
  reason: string;
  /** every option, best reduced value first */
  options: PricedOption[];
}

const key = (o: OptionFacts) => `${o.offer}\u0000${o.channel}`;

export function explainChoice(input: ExplainInput): Explanation {
  const { pricing } = input;
  // The stored assignment wins over today's eligible row: it is what the plan was priced on.
  const all = new Map<string, OptionFacts>();
  for (const o of input.eligible) all.set(key(o), o);
  for (const o of input.chosen) all.set(key(o), o);
  // GREEDY built its plan without prices, so charging its options would invent a reason
  const price = (o: OptionFacts): PricedOption =>
    input.method === "GREEDY"
      ? { ...o, reducedValue: o.expectedReturn, charges: [] }
      : priceOption(o, pricing);
  const options = [...all.values()]
    .map((o) => {
      const priced = price(o);
      const blockedBy = input.policies?.blocked.get(key(o));
      return blockedBy && blockedBy.length > 0 ? { ...priced, blockedBy } : priced;
    })
    .sort(byReducedValue);
  const chosenKeys = new Set(input.chosen.map(key));
  const chosen = options.filter((o) => chosenKeys.has(key(o)));
  const givenOffers = new Set(chosen.map((o) => o.offer));
  const several = input.maxOffersPerCustomer > 1;
  const open = (o: PricedOption) =>
    !chosenKeys.has(key(o)) && !(several && givenOffers.has(o.offer));
  // the runner-up is the best option the rules allow; the best forbidden one is named apart
  const runnerUp = options.find((o) => open(o) && !o.blockedBy) ?? null;
  const forbidden = options.find((o) => open(o) && o.blockedBy) ?? null;
  let reason = reasonFor(input, options, chosen, runnerUp);
  if (forbidden && (runnerUp === null || forbidden.reducedValue > runnerUp.reducedValue)) {
    reason +=
      input.method === "GREEDY"
        ? ` ${label(forbidden)} is not allowed: ${forbidden.blockedBy!.join(", ")}.`
        : ` ${label(forbidden)} would add ${fmt(forbidden.reducedValue)} at the plan's prices but ` +
          `is not allowed: ${forbidden.blockedBy!.join(", ")}.`;
  }
  if (input.policies && input.policies.notes.length > 0) {
    reason += ` Contact policies: ${input.policies.notes.join("; ")}.`;
  }
  return { chosen, runnerUp, reason, options };
}

// ---------------------------------------------------------------------------------------------
// The sentence

/** 2 decimals, or 3 significant digits for small non-zero numbers (duals can be tiny). */
export function fmt(x: number): string {
  const v = x === 0 ? 0 : x; // no "-0.00"
  if (v !== 0 && Math.abs(v) < 0.01) return v.toPrecision(3);
  const s = v.toFixed(2);
  return s === "-0.00" ? "0.00" : s;
}

const label = (o: OptionFacts) => `${o.offer} via ${o.channel}`;

function constraintLabel(name: string, pricing: PricingContext): { what: string; unit: string } {
  if (name === ROMI_TARGET) return { what: "the ROMI target", unit: "per $ of cost" };
  const row = pricing.report.find((r) => r.name === name);
  const after = (prefix: string) => name.slice(prefix.length);
  switch (row?.kind) {
    case "budget":
      return { what: "the budget", unit: "per $" };
    case "hurdle":
      return { what: "the ROI hurdle", unit: "per $ of return − (1+h)·cost" };
    case "capacity":
      return { what: `the ${after("capacity:")} capacity`, unit: "per contact" };
    case "offer_min":
      return { what: `the ${after("offer_min:")} minimum`, unit: "per contact" };
    case "offer_max":
      return { what: `the ${after("offer_max:")} maximum`, unit: "per contact" };
    case "segment_max":
      return { what: `the rule ${name} (max)`, unit: "per matching contact" };
    case "segment_min_share":
      return {
        what: `the rule ${name} (min share)`,
        unit: "per contact, by its share coefficient",
      };
    case "custom_capacity":
      return { what: `the custom capacity ${name}`, unit: "per unit of its measure" };
    default:
      return { what: name, unit: "per unit" };
  }
}

/** "return 60.00, charged 12.40 by the budget (dual 0.62 per $), … → 47.60" */
function breakdown(o: PricedOption, pricing: PricingContext): string {
  if (o.charges.length === 0)
    return `${label(o)}: return ${fmt(o.expectedReturn)}, no binding price touches it`;
  const parts = [...o.charges]
    .sort((a, b) => Math.abs(b.amount) - Math.abs(a.amount))
    .map((c) => {
      const { what, unit } = constraintLabel(c.constraint, pricing);
      const verb = c.amount >= 0 ? "charged" : "subsidised";
      return `${verb} ${fmt(Math.abs(c.amount))} by ${what} (dual ${fmt(c.dual)} ${unit})`;
    });
  return `${label(o)}: return ${fmt(o.expectedReturn)}, ${parts.join(", ")} → ${fmt(o.reducedValue)}`;
}

const GREEDY_RULE =
  "the ad-hoc plan has no prices; it serves offer minimums first, then customers in descending " +
  "order of their best expected return until budget or capacity runs out";

// The report zeroes the price of a row the plan leaves a unit or more of room on, although the plan
// may have been built with a price there (a capacity a few contacts short of full): then the
// reported prices no longer rank this customer's options as the build did.
const ZEROED =
  "; and a row the plan leaves room on is reported at 0 even where the plan was built with a " +
  "price on it";

function whyNotByPrices(method: "CLUSTER_LP" | "EXACT"): string {
  return whyNotByMethod(method) + ZEROED;
}

function whyNotByMethod(method: "CLUSTER_LP" | "EXACT"): string {
  switch (method) {
    case "CLUSTER_LP":
      return (
        "the report's duals are the individual-level prices the plan was built (or polished) at, " +
        "found by re-pricing the cluster LP's duals customer by customer; prices alone would " +
        "overfill or underfill some row, so the plan was then repaired and polished until every " +
        "constraint holds exactly, which moves customers whose choices are nearly tied at the margin"
      );
    case "EXACT":
      return (
        "prices alone would overfill or underfill some row; the plan at these prices was " +
        "repaired and polished so every constraint holds exactly, which moves customers whose " +
        "choices are nearly tied at the margin"
      );
  }
}

function preamble(input: ExplainInput): string {
  const p = input.pricing;
  if (!p.romi && p.report.every((r) => r.dual === null))
    return "This plan has no dual values, so options are ranked by expected return alone. ";
  if (p.romi)
    return (
      `This is a ROMI plan: it maximises return − (1+q)·cost at q = its ROMI ${fmt(p.romi.q)}, ` +
      `so values are in dollars of that objective: cost is charged ${fmt(1 + p.romi.q)} per $ ` +
      `and the report's duals (per unit of ROMI) are multiplied by the plan's cost ` +
      `${fmt(p.romi.cost)}. `
    );
  return "";
}

function reasonFor(
  input: ExplainInput,
  options: PricedOption[],
  chosen: PricedOption[],
  runnerUp: PricedOption | null,
): string {
  const who = `Customer ${input.customerId}`;
  if (input.doNotContact && chosen.length === 0)
    return `${who} is do-not-contact: no plan may contact them, so they have no options.`;
  if (options.length === 0)
    return (
      `${who} has no eligible (offer, channel) option (no score row for an offer and channel ` +
      `they may receive), so no plan can contact them.`
    );
  const dnc = input.doNotContact
    ? " They are do-not-contact now; the plan was made before that was recorded."
    : "";
  const names = chosen.map(label).join(", ");
  if (input.method === "GREEDY")
    return `${who} ${chosen.length === 0 ? "gets nothing" : `gets ${names}`}: ${GREEDY_RULE}.${dnc}`;
  const method = input.method;
  const pre = preamble(input);
  const p = input.pricing;
  if (chosen.length === 0) {
    const best = options[0]!;
    if (best.reducedValue <= 0)
      return (
        `${pre}${who} gets nothing: every option's reduced value is ≤ 0 at the plan's prices, ` +
        `so contacting them would cost the plan more than it adds. The best is ${breakdown(best, p)}.`
      );
    return (
      `${pre}${who} gets nothing although ${label(best)} adds ${fmt(best.reducedValue)} at the ` +
      `plan's prices (${breakdown(best, p)}): ${whyNotByPrices(method)}.`
    );
  }
  if (!runnerUp)
    return `${pre}${who} gets ${names}: every option they could take${
      input.maxOffersPerCustomer > 1 ? " (one per offer)" : ""
    } was given. ${chosen.map((o) => breakdown(o, p)).join("; ")}.${dnc}`;
  const weakest = chosen[chosen.length - 1]!;
  const tie = TIE * Math.max(1, Math.abs(weakest.reducedValue), Math.abs(runnerUp.reducedValue));
  const freeSlot = chosen.length < input.maxOffersPerCustomer;
  if (freeSlot && runnerUp.reducedValue > 0)
    return (
      `${pre}${who} gets ${names} and has a free slot, although ${label(runnerUp)} would add ` +
      `${fmt(runnerUp.reducedValue)} at the plan's prices (${breakdown(runnerUp, p)}): ` +
      `${whyNotByPrices(method)}.${dnc}`
    );
  if (freeSlot)
    return (
      `${pre}${who} gets ${names}; the slot left free would go to ${label(runnerUp)}, but its ` +
      `reduced value is ≤ 0 (${breakdown(runnerUp, p)}).${dnc}`
    );
  const chosenText =
    chosen.length === 1 ? `the chosen ${label(weakest)}` : `${label(weakest)}, the weakest chosen`;
  if (weakest.reducedValue + tie >= runnerUp.reducedValue)
    return (
      `${pre}${who} gets ${names}. The runner-up ${label(runnerUp)} adds ` +
      `${fmt(runnerUp.reducedValue)} at the plan's prices vs ${fmt(weakest.reducedValue)} for ` +
      `${chosenText}${
        weakest.reducedValue - runnerUp.reducedValue <= tie ? " (a tie)" : ""
      }. ${breakdown(runnerUp, p)}; ${breakdown(weakest, p)}.${dnc}`
    );
  return (
    `${pre}${who} gets ${names} although the runner-up ${label(runnerUp)} adds more at the plan's ` +
    `prices (${fmt(runnerUp.reducedValue)} vs ${fmt(weakest.reducedValue)} for ${chosenText}): ` +
    `${whyNotByPrices(method)}. ${breakdown(runnerUp, p)}; ${breakdown(weakest, p)}.${dnc}`
  );
}
