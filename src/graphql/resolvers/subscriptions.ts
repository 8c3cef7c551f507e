// planUpdated and analysisUpdated: a run's state now and at each change, until it ends. Every
// state is read as plan(id) and analysis(id) read it, through fresh loaders and a fresh row budget,
// since one subscription lives through many executions of its selection set.
import { NotFoundError } from "../../services/errors";
import { analysisById } from "../../services/record-reads";
import { runStates, type RunKind, type RunState } from "../../services/run-updates";
import type { Resolvers } from "../__generated__/resolvers";
import type { GraphQLContext } from "../context";
import { createLoaders } from "../loaders";
import type { AnalysisModel, PlanModel } from "../models";
import { parseId, type NodeType } from "../global-id";
import { RequestBudget } from "../request-budget";

/** A new per-execution state for the next event: nothing cached, nothing spent. */
function renew(ctx: GraphQLContext): void {
  ctx.loaders = createLoaders(ctx.pool, ctx.prisma);
  ctx.budget = new RequestBudget(ctx.budget.maxRows, ctx.budget.timeoutMs);
}

const NODE_TYPE: Record<RunKind, NodeType> = { plan: "Plan", analysis: "Analysis" };

async function follow<T extends RunState>(
  ctx: GraphQLContext,
  kind: RunKind,
  rawId: string,
  read: (id: number) => Promise<T | null>,
): Promise<AsyncIterable<T>> {
  const id = parseId(rawId, "id", NODE_TYPE[kind]);
  if (!ctx.runChanges) throw new Error("subscriptions need the server's run change listener");
  const changes = ctx.runChanges;
  const states = await runStates(changes, kind, id, () => {
    renew(ctx);
    return changes.latest(kind, id, () => read(id));
  });
  if (!states) throw new NotFoundError(`there is no ${kind} with id ${id}`);
  return states;
}

export const subscriptionResolvers: Resolvers = {
  Subscription: {
    planUpdated: {
      subscribe: (_p, { id }, ctx) => follow(ctx, "plan", id, (n) => ctx.loaders.plan.load(n)),
      resolve: (plan: PlanModel) => plan,
    },
    analysisUpdated: {
      subscribe: (_p, { id }, ctx) =>
        follow(ctx, "analysis", id, (n) => analysisById(ctx.prisma, n)),
      resolve: (analysis: AnalysisModel) => analysis,
    },
  },
};
