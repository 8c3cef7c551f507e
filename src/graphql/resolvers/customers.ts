// A customer, what each plan gives them, and why.
import { NotFoundError } from "../../services/errors";
import { explainCustomer } from "../../services/explain";
import { customerAssignments } from "../../services/plan-reads";
import type { Resolvers } from "../__generated__/resolvers";
import { pageSize, parseId } from "../pagination";

export const customerResolvers: Resolvers = {
  Query: {
    customer: (_p, { id }, ctx) => ctx.loaders.customerByExternalId.load(id),
  },
  Customer: {
    assignments: async (c, { planIds, first }, ctx) => {
      const size = pageSize(first, 20, ctx.budget, "Customer.assignments");
      const ids = planIds?.map((id, i) => parseId(id, `planIds.${i}`)) ?? null;
      return customerAssignments(ctx.pool, c.dbId, ids, size);
    },
    explanation: async (c, { planId }, ctx) => {
      const id = parseId(planId, "planId");
      const plan = await ctx.loaders.plan.load(id);
      if (!plan) throw new NotFoundError(`plan ${id} does not exist`);
      if (plan.status !== "SUCCEEDED") return null;
      return explainCustomer(ctx.pool, plan, c);
    },
  },
};
