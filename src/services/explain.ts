// Why a plan gave a customer what it gave: each eligible option priced at the plan's dual values
// (src/optimize/explain.ts). Reads one customer's rows only: its eligible options through the
// eligible_option view, its assignments in the plan's partition, and the plan's small tables.
import { storedKpis } from "../domain/stored-kpis";
import { storedPlanParameters } from "../domain/stored-parameters";
import type { Pool } from "pg";
import { parseConstraintSet, type ConstraintSetDefinition } from "../domain/constraint-set";
import { resolveConstraints } from "./resolve-constraints";
import {
  explainChoice,
  type OptionFacts,
  type PricedOption,
  type RuleFacts,
} from "../optimize/explain";
import type { Method } from "../optimize/types";
import type { Customer, Plan } from "./records";
import { ConflictError } from "./errors";
import { withOverrides } from "./plans";
import { customerPolicies } from "./explain-policies";
import { hasPolicies } from "../domain/resolve-policies";

export interface DualCharge {
  constraint: string;
  dual: number;
  coefficient: number;
  amount: number;
}

/** An option as the explanation prices it, keyed by database ids. */
export interface ExplainedOption {
  offerDbId: number;
  channelDbId: number;
  expectedReturn: number;
  cost: number;
  reducedValue: number;
  charges: DualCharge[];
  blockedBy: string[];
}

export interface Explanation {
  plan: Plan;
  customer: Customer;
  chosen: ExplainedOption[];
  runnerUp: ExplainedOption | null;
  reason: string;
  options: ExplainedOption[];
}

interface OptionRow {
  offerDbId: number;
  channelDbId: number;
  offer: string;
  channel: string;
  expectedReturn: number;
  cost: number;
}

const OPTION_COLUMNS = `o.id AS "offerDbId", ch.id AS "channelDbId", o.external_id AS offer,
  ch.external_id AS channel, x.expected_return AS "expectedReturn", x.cost`;

/** Segment rules with the names the constraint report gives them (resolve-constraints.ts). */
function rulesOf(definition: ConstraintSetDefinition): RuleFacts[] {
  const rules = definition.segmentRules;
  if (rules.length === 0) return [];
  // Resolve against the ids the set itself names, so a later change of the catalog cannot fail it.
  const uniq = (ids: (string | null | undefined)[]) => [
    ...new Set(ids.filter((v): v is string => v != null)),
  ];
  const offerIds = uniq(rules.map((r) => r.offerId));
  const channelIds = uniq(rules.map((r) => r.channelId));
  const segments = uniq(rules.map((r) => r.segment));
  const only = { ...definition, channelCapacities: [], offerVolumes: [] };
  const resolved = resolveConstraints(only, { offerIds, channelIds, segments }).segmentRules;
  return resolved.map((r) => ({
    name: r.name,
    kind: r.max !== null ? "segment_max" : "segment_min_share",
    segment: segments[r.segment]!,
    offer: r.offer >= 0 ? offerIds[r.offer]! : null,
    channel: r.channel >= 0 ? channelIds[r.channel]! : null,
    minShare: r.minShare,
  }));
}

function definitionOf(raw: unknown): ConstraintSetDefinition {
  const parsed = parseConstraintSet(raw);
  // Versions are validated when saved; failing here means the stored row was tampered with.
  if (!parsed.ok) throw new Error(`stored constraint-set definition is invalid`);
  return parsed.value;
}

/** The plan's rows the explanation reads: its version's definition, its constraint report, the
 * customer's eligible options and what the plan gave the customer. */
async function planRows(pool: Pool, plan: Plan, customer: Customer) {
  const [version, report, eligible, chosen] = await Promise.all([
    pool.query<{ definition: unknown }>(
      "SELECT definition FROM constraint_set_version WHERE id = $1",
      [plan.constraintSetVersionId],
    ),
    pool.query<{ name: string; kind: string; dual: number | null }>(
      "SELECT name, kind, dual FROM plan_constraint_report WHERE plan_id = $1 ORDER BY kind, name",
      [plan.id],
    ),
    pool.query<OptionRow>(
      `SELECT ${OPTION_COLUMNS} FROM eligible_option x
       JOIN offer o ON o.id = x.offer_id JOIN channel ch ON ch.id = x.channel_id
       WHERE x.customer_id = $1`,
      [customer.dbId],
    ),
    pool.query<OptionRow>(
      `SELECT ${OPTION_COLUMNS} FROM plan_assignment x
       JOIN offer o ON o.id = x.offer_id JOIN channel ch ON ch.id = x.channel_id
       WHERE x.plan_id = $1 AND x.customer_id = $2`,
      [plan.id, customer.dbId],
    ),
  ]);
  return { version, report, eligible: eligible.rows, chosen: chosen.rows };
}

export async function explainCustomer(
  pool: Pool,
  plan: Plan,
  customer: Customer,
): Promise<Explanation> {
  if (plan.status !== "SUCCEEDED")
    throw new ConflictError(`plan ${plan.id} is ${plan.status}, not SUCCEEDED`);
  const { version, report, eligible, chosen } = await planRows(pool, plan, customer);
  // A what-if plan ran with overrides on top of its version: price it by what it ran with.
  const params = storedPlanParameters(plan.parameters);
  const { overrides } = params;
  const stored = definitionOf(version.rows[0]?.definition);
  const definition = overrides ? withOverrides(stored, overrides) : stored;
  const kpis = storedKpis(plan.kpis);
  const policies = hasPolicies(definition)
    ? await customerPolicies(
        pool,
        plan.id,
        definition,
        customer.dbId,
        params.campaignDate ?? plan.createdAt.toISOString().slice(0, 10),
        [...eligible, ...chosen],
      )
    : null;
  const facts = (r: OptionRow): OptionFacts => {
    const custom = policies?.custom.get(`${r.offer}\u0000${r.channel}`);
    return {
      offer: r.offer,
      channel: r.channel,
      expectedReturn: r.expectedReturn,
      cost: r.cost,
      ...(custom ? { custom } : {}),
    };
  };
  const result = explainChoice({
    policies: policies?.facts,
    customerId: customer.id,
    doNotContact: customer.doNotContact,
    eligible: eligible.map(facts),
    chosen: chosen.map(facts),
    maxOffersPerCustomer: definition.maxOffersPerCustomer,
    method: plan.method as Method,
    pricing: {
      segment: customer.segment,
      hurdleRate: definition.hurdleRate ?? null,
      rules: rulesOf(definition),
      report: report.rows,
      romi:
        definition.objective === "ROMI" && (kpis.cost ?? 0) > 0
          ? { q: kpis.roi ?? 0, cost: kpis.cost! }
          : undefined,
    },
  });
  const model = withDbIds([...eligible, ...chosen]);
  return {
    plan,
    customer,
    chosen: result.chosen.map(model),
    runnerUp: result.runnerUp ? model(result.runnerUp) : null,
    reason: result.reason,
    options: result.options.map(model),
  };
}

/** A priced option with the database ids of its offer and channel, as the rows name them. */
function withDbIds(rows: OptionRow[]): (o: PricedOption) => ExplainedOption {
  const offerDb = new Map<string, number>();
  const channelDb = new Map<string, number>();
  for (const r of rows) {
    offerDb.set(r.offer, r.offerDbId);
    channelDb.set(r.channel, r.channelDbId);
  }
  return (o) => ({
    offerDbId: offerDb.get(o.offer)!,
    channelDbId: channelDb.get(o.channel)!,
    expectedReturn: o.expectedReturn,
    cost: o.cost,
    reducedValue: o.reducedValue,
    charges: o.charges,
    blockedBy: o.blockedBy ?? [],
  });
}
