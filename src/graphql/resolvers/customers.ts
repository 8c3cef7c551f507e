// A customer, what each plan gives them, and why.
import { NotFoundError } from "../../services/errors";
import { explainCustomer } from "../../services/explain";
import type { Resolvers } from "../__generated__/resolvers";
import type { AssignmentModel } from "../models";
import { pageSize, parseId } from "../pagination";

export const customerResolvers: Resolvers = {
  Query: {
    customer: (_p, { id }, ctx) => ctx.loaders.customerByExternalId.load(id),
  },
  Customer: {
    assignments: async (c, { planIds, first }, ctx) => {
      const size = pageSize(first, 20, ctx.budget, "Customer.assignments");
      const ids = planIds?.map((id, i) => parseId(id, `planIds.${i}`)) ?? null;
      const res = await ctx.pool.query<AssignmentModel>(
        `SELECT a.plan_id AS "planId", a.customer_id AS "customerDbId", a.offer_id AS "offerDbId",
                a.channel_id AS "channelDbId", a.expected_return AS "expectedReturn", a.cost,
                upper(a."group") AS "group", a.wave
         FROM plan_assignment a
         WHERE a.customer_id = $1 AND ($2::int[] IS NULL OR a.plan_id = ANY($2::int[]))
         ORDER BY a.plan_id DESC, a.offer_id LIMIT $3`,
        [c.dbId, ids, size],
      );
      return res.rows;
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
