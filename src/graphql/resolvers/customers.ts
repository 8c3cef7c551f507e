// A customer, what each plan gives them, and why.
import { typedAttributes } from "../../domain/customer-attributes";
import { NotFoundError } from "../../services/errors";
import { explainCustomer } from "../../services/explain";
import { customerAssignments } from "../../services/plan-reads";
import type { Resolvers } from "../__generated__/resolvers";
import { globalId, keyOf, parseId } from "../global-id";
import { pageRequest, toPage, type ListOrder } from "../pagination";

const ASSIGNMENT_ORDER: ListOrder = { name: "PLAN:DESC", key: ["int", "int"] };

export const customerResolvers: Resolvers = {
  Query: {
    customer: (_p, { id }, ctx) =>
      ctx.loaders.customerByExternalId.load(keyOf(id, "id", "Customer")),
  },
  Customer: {
    id: (c) => globalId("Customer", c.id),
    externalId: (c) => c.id,
    attributes: (c) => typedAttributes(c.attributes),
    assignments: async (c, { planIds, ...args }, ctx) => {
      const req = pageRequest(args, ASSIGNMENT_ORDER, ctx.budget, "Customer.assignments");
      const ids = planIds?.map((id, i) => parseId(id, `planIds.${i}`, "Plan")) ?? null;
      const { rows, totalCount } = await customerAssignments(ctx.pool, c.dbId, ids, req);
      return { ...toPage(rows, req, (a) => [a.planId, a.offerDbId]), totalCount };
    },
    explanation: async (c, { planId }, ctx) => {
      const id = parseId(planId, "planId", "Plan");
      const plan = await ctx.loaders.plan.load(id);
      if (!plan) throw new NotFoundError(`plan ${id} does not exist`);
      if (plan.status !== "SUCCEEDED") return null;
      return explainCustomer(ctx.pool, plan, c);
    },
  },
};
