// Why a plan gave a customer what it gave: each eligible option priced at the plan's dual values.
import type { Pool } from "pg";
import type { CustomerModel, ExplanationModel, PlanModel } from "../graphql/models";

export async function explainCustomer(
  _pool: Pool,
  plan: PlanModel,
  customer: CustomerModel,
): Promise<ExplanationModel> {
  return { plan, customer, chosen: [], runnerUp: null, reason: "not yet explained", options: [] };
}
