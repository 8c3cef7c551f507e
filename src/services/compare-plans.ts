// comparePlans: what changed between two SUCCEEDED plans. KPIs come from the plans' own rows,
// offer × channel contacts from plan_summary and duals from plan_constraint_report (small tables);
// only the changed customers read the assignment partitions, set-based.
import { storedKpis, type StoredKpis } from "../domain/stored-kpis";
import { ConflictError } from "./errors";
import type { Plan } from "./records";

export {
  changedCustomerCount,
  changedCustomers,
  dualChanges,
  offerChannelDeltas,
  type ChangedAssignment,
  type DualChange,
  type OfferChannelDelta,
  type OfferChannelPair,
} from "../db/plan-comparison";

/** Both plans must have finished: only then are their rows complete and immutable. */
export function requireComparable(a: Plan, b: Plan): void {
  for (const p of [a, b])
    if (p.status !== "SUCCEEDED")
      throw new ConflictError(`plan ${p.id} is ${p.status}; only SUCCEEDED plans can be compared`);
}

export interface KpiDelta {
  a: number | null;
  b: number | null;
  /** b − a, null when either is unknown */
  delta: number | null;
}

const KPI_NAMES = ["expectedReturn", "cost", "roi", "contacts", "upperBound", "gap"] as const;
type KpiName = (typeof KPI_NAMES)[number];

/** One field per KPI, then contacts per channel (by external channel id, in id order). */
export type KpiDeltas = Record<KpiName, KpiDelta> & {
  contactsByChannel: (KpiDelta & { channelId: string })[];
};

function kpiValue(k: StoredKpis, name: KpiName): number | null {
  // As Plan.kpis reports it: no ROI when nothing was spent.
  if (name === "roi") return k.cost ? (k.roi ?? null) : null;
  const v = k[name];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

const delta = (a: number | null, b: number | null): KpiDelta => ({
  a,
  b,
  delta: a === null || b === null ? null : b - a,
});

/** The plans' KPIs side by side. */
export function kpiDeltas(a: Plan, b: Plan): KpiDeltas {
  const ka = storedKpis(a.kpis);
  const kb = storedKpis(b.kpis);
  const channels = [
    ...new Set([
      ...Object.keys(ka.contactsByChannel ?? {}),
      ...Object.keys(kb.contactsByChannel ?? {}),
    ]),
  ].sort();
  // A channel a plan did not use has 0 contacts in it, not an unknown number.
  const contacts = (k: StoredKpis, ch: string) =>
    k.contactsByChannel ? (k.contactsByChannel[ch] ?? 0) : null;
  const byKpi = Object.fromEntries(
    KPI_NAMES.map((n) => [n, delta(kpiValue(ka, n), kpiValue(kb, n))]),
  ) as Record<KpiName, KpiDelta>;
  return {
    ...byKpi,
    contactsByChannel: channels.map((ch) => ({
      channelId: ch,
      ...delta(contacts(ka, ch), contacts(kb, ch)),
    })),
  };
}
