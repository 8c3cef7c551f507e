// Constraint sets and their immutable versions.
import type { ConstraintSetDefinition } from "../../domain/constraint-set";
import type { Change } from "../../domain/constraint-patch";
import {
  diffConstraintSetVersions,
  patchConstraintSet,
  restoreConstraintSetVersion,
} from "../../services/constraint-set-history";
import {
  archiveConstraintSet,
  createConstraintSet,
  reviseConstraintSet,
  unarchiveConstraintSet,
  type SaveOptions,
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
  ref: { constraintSetId: number; versionId: number; created: boolean; changes: Change[] },
) {
  const [constraintSet, version] = await Promise.all([
    ctx.loaders.constraintSet.load(ref.constraintSetId),
    ctx.loaders.version.load(ref.versionId),
  ]);
  return {
    constraintSet: constraintSet!,
    version: version!,
    created: ref.created,
    changes: ref.changes.map(changeOut),
  };
}

const changeOut = (c: Change) => ({
  path: c.path,
  kind: c.kind.toUpperCase() as "ADDED" | "REMOVED" | "CHANGED",
  old: c.old,
  new: c.new,
});

/** An ADMIN's change of a set: who made it, why, checked against the dataset. */
const adminSave = (ctx: GraphQLContext, note: string | null | undefined): SaveOptions => ({
  createdBy: ctx.caller.name,
  actor: { name: ctx.caller.name, keyId: ctx.caller.keyId },
  note: note ?? undefined,
  checkDataset: true,
});

export const constraintSetResolvers: Resolvers = {
  Query: {
    constraintSets: (_p, { includeArchived }, ctx) =>
      listConstraintSets(ctx.prisma, includeArchived ?? false),
    constraintSet: (_p, { id }, ctx) => ctx.loaders.constraintSet.load(parseId(id, "id")),
    constraintSetVersion: (_p, { id }, ctx) => ctx.loaders.version.load(parseId(id, "id")),
    constraintSetDiff: async (_p, { from, to }, ctx) =>
      (await diffConstraintSetVersions(ctx.prisma, parseId(from, "from"), parseId(to, "to"))).map(
        changeOut,
      ),
  },
  Mutation: {
    createConstraintSet: async (_p, { input, note }, ctx) => {
      requireRole(ctx.caller, "ADMIN");
      return payload(
        ctx,
        await createConstraintSet(ctx.prisma, contractJson(input), adminSave(ctx, note)),
      );
    },
    reviseConstraintSet: async (_p, { id, input, note }, ctx) => {
      requireRole(ctx.caller, "ADMIN");
      const setId = parseId(id, "id");
      return payload(
        ctx,
        await reviseConstraintSet(ctx.prisma, setId, contractJson(input), adminSave(ctx, note)),
      );
    },
    patchConstraintSet: async (_p, { id, patch, note }, ctx) => {
      requireRole(ctx.caller, "ADMIN");
      const setId = parseId(id, "id");
      return payload(ctx, await patchConstraintSet(ctx.prisma, setId, patch, adminSave(ctx, note)));
    },
    restoreConstraintSetVersion: async (_p, { id, versionId, note }, ctx) => {
      requireRole(ctx.caller, "ADMIN");
      const [setId, vId] = [parseId(id, "id"), parseId(versionId, "versionId")];
      return payload(
        ctx,
        await restoreConstraintSetVersion(ctx.prisma, setId, vId, adminSave(ctx, note)),
      );
    },
    archiveConstraintSet: async (_p, { id }, ctx) => {
      requireRole(ctx.caller, "ADMIN");
      return archiveConstraintSet(ctx.prisma, parseId(id, "id"), {
        name: ctx.caller.name,
        keyId: ctx.caller.keyId,
      });
    },
    unarchiveConstraintSet: async (_p, { id }, ctx) => {
      requireRole(ctx.caller, "ADMIN");
      return unarchiveConstraintSet(ctx.prisma, parseId(id, "id"), {
        name: ctx.caller.name,
        keyId: ctx.caller.keyId,
      });
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
