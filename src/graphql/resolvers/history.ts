// Contact history: the summary query, commitPlan (ANALYST, like runPlan: committing is the last
// step of the analyst's own plan workflow; the history file import stays on the CLI) and the
// Plan.committedAt / Plan.campaignDate fields.
import { requireRole } from "../../auth";
import { NotFoundError } from "../../services/errors";
import { commitPlan, contactHistorySummary, planCommit } from "../../services/history";
import type { PlanResolvers, Resolvers } from "../__generated__/resolvers";
import { parseId } from "../global-id";

/** Spread into the Plan resolvers (src/graphql/resolvers/plans.ts): one map per type. */
export const planHistoryResolvers: Pick<PlanResolvers, "committedAt" | "campaignDate"> = {
  committedAt: async (p, _a, ctx) => (await planCommit(ctx.pool, p.id))?.committedAt ?? null,
  campaignDate: async (p, _a, ctx) => (await planCommit(ctx.pool, p.id))?.campaignDate ?? null,
};

export const historyResolvers: Resolvers = {
  Query: {
    contactHistorySummary: (_p, _a, ctx) => contactHistorySummary(ctx.pool),
  },
  Mutation: {
    commitPlan: async (_p, args, ctx) => {
      requireRole(ctx.caller, "ANALYST");
      const planId = parseId(args.id, "id", "Plan");
      const r = await commitPlan(ctx.pool, planId, args.campaignDate, {
        committedBy: ctx.caller.name,
        actor: { name: ctx.caller.name, keyId: ctx.caller.keyId },
      });
      ctx.log.info({ planId, contacts: r.contacts, inserted: r.inserted }, "plan committed");
      const plan = await ctx.loaders.plan.load(planId);
      if (!plan) throw new NotFoundError(`plan ${planId} does not exist`);
      return { ...r, plan };
    },
  },
};
