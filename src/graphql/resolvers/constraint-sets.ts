// Constraint sets and their immutable versions.
import type { ConstraintSetDefinition } from "../../domain/constraint-set";
import {
  archiveConstraintSet,
  createConstraintSet,
  reviseConstraintSet,
} from "../../services/constraint-sets";
import { NotFoundError } from "../../services/errors";
import { listConstraintSets } from "../../services/record-reads";
import { requireRole } from "../../auth";
import type { Resolvers } from "../__generated__/resolvers";
import type { GraphQLContext } from "../context";
import { parseId } from "../pagination";

const definitionOf = (v: { definition: unknown }) => v.definition as ConstraintSetDefinition;

/** GraphQL gives absent list inputs as null; the contract's JSON leaves them out. */
export function contractJson(input: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined));
}

async function payload(
  ctx: GraphQLContext,
  ref: { constraintSetId: number; versionId: number; created: boolean },
) {
  const [constraintSet, version] = await Promise.all([
    ctx.loaders.constraintSet.load(ref.constraintSetId),
    ctx.loaders.version.load(ref.versionId),
  ]);
  return { constraintSet: constraintSet!, version: version!, created: ref.created };
}

export const constraintSetResolvers: Resolvers = {
  Query: {
    constraintSets: (_p, { includeArchived }, ctx) =>
      listConstraintSets(ctx.prisma, includeArchived ?? false),
    constraintSet: (_p, { id }, ctx) => ctx.loaders.constraintSet.load(parseId(id, "id")),
    constraintSetVersion: (_p, { id }, ctx) => ctx.loaders.version.load(parseId(id, "id")),
  },
  Mutation: {
    createConstraintSet: async (_p, { input }, ctx) => {
      requireRole(ctx.caller, "ADMIN");
      const ref = await createConstraintSet(ctx.prisma, contractJson(input), {
        createdBy: ctx.caller.name,
        checkDataset: true,
      });
      return payload(ctx, ref);
    },
    reviseConstraintSet: async (_p, { id, input }, ctx) => {
      requireRole(ctx.caller, "ADMIN");
      const ref = await reviseConstraintSet(ctx.prisma, parseId(id, "id"), contractJson(input), {
        createdBy: ctx.caller.name,
        checkDataset: true,
      });
      return payload(ctx, ref);
    },
    archiveConstraintSet: async (_p, { id }, ctx) => {
      requireRole(ctx.caller, "ADMIN");
      return archiveConstraintSet(ctx.prisma, parseId(id, "id"));
    },
  },
  ConstraintSet: {
    id: (s) => String(s.id),
    archived: (s) => s.archivedAt !== null,
    latestVersion: async (s, _a, ctx) => {
      const versions = await ctx.loaders.versionsBySet.load(s.id);
      if (!versions[0]) throw new NotFoundError(`constraint set ${s.id} has no version`);
      return versions[0];
    },
    versions: (s, _a, ctx) => ctx.loaders.versionsBySet.load(s.id),
  },
  ConstraintSetVersion: {
    id: (v) => String(v.id),
    constraintSet: async (v, _a, ctx) => (await ctx.loaders.constraintSet.load(v.constraintSetId))!,
    name: (v) => definitionOf(v).name,
    objective: (v) => definitionOf(v).objective,
    budget: (v) => definitionOf(v).budget ?? null,
    hurdleRate: (v) => definitionOf(v).hurdleRate ?? null,
    maxOffersPerCustomer: (v) => definitionOf(v).maxOffersPerCustomer,
    channelCapacities: (v) => definitionOf(v).channelCapacities,
    offerVolumes: (v) =>
      definitionOf(v).offerVolumes.map((o) => ({
        offerId: o.offerId,
        min: o.min ?? null,
        max: o.max ?? null,
      })),
    segmentRules: (v) =>
      definitionOf(v).segmentRules.map((r) => ({
        segment: r.segment,
        offerId: r.offerId ?? null,
        channelId: r.channelId ?? null,
        max: r.max ?? null,
        minShare: r.minShare ?? null,
      })),
    definition: (v) => v.definition as Record<string, unknown>,
  },
};
