// Reads of stored plans for the API and the CLI: the SQL is in src/db/plan-reads.ts; here an
// assignment filter given by external ids is checked against the catalog.
import type { AssignmentConditions } from "../db/plan-reads";
import type { CatalogIndex } from "./catalog";
import { InputError } from "./errors";

export {
  assignmentPage,
  assignmentSortKey,
  constraintReports,
  countAssignments,
  customerAssignments,
  listPlans,
  planClusters,
  planFingerprint,
  planProportions,
  plansByIds,
  planSortKey,
  planSummaries,
} from "../db/plan-reads";
export type {
  AssignmentConditions,
  PlanCluster,
  PlanListFilter,
  SummaryRow,
} from "../db/plan-reads";
export { customersByExternalIds, customersByIds } from "../db/customers";
export type { ReportRow } from "../db/plan-writer";

/** As clients give it: offers and channels by external id. */
export interface AssignmentFilter {
  offerId?: string | null;
  channelId?: string | null;
  group?: "TREATMENT" | "CONTROL" | null;
  segment?: string | null;
}

/** The catalog is read only when a filter names something (most pages have no filter). */
export async function assignmentConditions(
  filter: AssignmentFilter | null | undefined,
  catalog: () => Promise<CatalogIndex>,
): Promise<AssignmentConditions> {
  const c: AssignmentConditions = {};
  if (!filter) return c;
  const { offerByExternalId, channelByExternalId } = await catalog();
  if (filter.offerId != null) {
    const o = offerByExternalId.get(filter.offerId);
    if (!o) throw new InputError("filter.offerId", `unknown offer "${filter.offerId}"`);
    c.offerDbId = o.dbId;
  }
  if (filter.channelId != null) {
    const ch = channelByExternalId.get(filter.channelId);
    if (!ch) throw new InputError("filter.channelId", `unknown channel "${filter.channelId}"`);
    c.channelDbId = ch.dbId;
  }
  if (filter.group != null) c.group = filter.group;
  if (filter.segment != null) c.segment = filter.segment;
  return c;
}
