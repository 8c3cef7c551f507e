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
import {
  constraintSetSortKey,
  listConstraintSets,
  versionsOfSet,
} from "../../services/record-reads";
import { requireRole } from "../../auth";
import type { CustomCapacityField, Resolvers } from "../__generated__/resolvers";
import { customCapacityField } from "../enums";
import { dbOf, type GraphQLContext } from "../context";
import { globalId, parseId } from "../global-id";
import { orderName, pageRequest, toPage, type CursorPart, type ListOrder } from "../pagination";

const VERSION_ORDER: ListOrder = { name: "VERSION:DESC", key: ["int"] };

const definitionOf = (v: { definition: unknown }) => v.definition as ConstraintSetDefinition;

/**
 * GraphQL gives absent list inputs as null; the contract's JSON leaves them out, and names a
 * custom capacity's field as the CLI's JSON does (expectedReturn, not EXPECTED_RETURN).
 */
export function contractJson(input: object): Record<string, unknown> {
  const out = Object.fromEntries(
    Object.entries(input).filter(([, v]) => v !== null && v !== undefined),
  );
  if (Array.isArray(out.customCapacities))
    out.customCapacities = (out.customCapacities as { field?: CustomCapacityField | null }[]).map(
      (c) => (c.field != null ? { ...c, field: customCapacityField(c.field) } : c),
    );
  return out;
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
    constraintSets: async (_p, { includeArchived, orderBy, ...args }, ctx) => {
      const order = orderBy ?? { field: "CREATED_AT", direction: "ASC" };
      const key: CursorPart[] = [order.field === "NAME" ? "string" : "date", "int"];
      const req = pageRequest(
        args,
        { name: orderName(order), key },
        ctx.budget,
        "Query.constraintSets",
      );
      const { rows, totalCount } = await listConstraintSets(
        ctx.pool,
        includeArchived ?? false,
        { field: order.field, descending: order.direction === "DESC" },
        req,
      );
      for (const s of rows) ctx.loaders.constraintSet.prime(s.id, s);
      return { ...toPage(rows, req, (s) => constraintSetSortKey(s, order.field)), totalCount };
    },
    constraintSet: (_p, { id }, ctx) =>
      ctx.loaders.constraintSet.load(parseId(id, "id", "ConstraintSet")),
    constraintSetVersion: (_p, { id }, ctx) =>
      ctx.loaders.version.load(parseId(id, "id", "ConstraintSetVersion")),
    constraintSetDiff: async (_p, { from, to }, ctx) =>
      (
        await diffConstraintSetVersions(
          ctx.prisma,
          parseId(from, "from", "ConstraintSetVersion"),
          parseId(to, "to", "ConstraintSetVersion"),
        )
      ).map(changeOut),
  },
  Mutation: {
    createConstraintSet: async (_p, { input, note }, ctx) => {
      requireRole(ctx.caller, "ADMIN");
      return payload(
        ctx,
        await createConstraintSet(dbOf(ctx), contractJson(input), adminSave(ctx, note)),
      );
    },
    reviseConstraintSet: async (_p, { id, input, note }, ctx) => {
      requireRole(ctx.caller, "ADMIN");
      const setId = parseId(id, "id", "ConstraintSet");
      return payload(
        ctx,
        await reviseConstraintSet(dbOf(ctx), setId, contractJson(input), adminSave(ctx, note)),
      );
    },
    patchConstraintSet: async (_p, { id, patch, note }, ctx) => {
      requireRole(ctx.caller, "ADMIN");
      const setId = parseId(id, "id", "ConstraintSet");
      return payload(ctx, await patchConstraintSet(dbOf(ctx), setId, patch, adminSave(ctx, note)));
    },
    restoreConstraintSetVersion: async (_p, { id, versionId, note }, ctx) => {
      requireRole(ctx.caller, "ADMIN");
      const [setId, vId] = [
        parseId(id, "id", "ConstraintSet"),
        parseId(versionId, "versionId", "ConstraintSetVersion"),
      ];
      return payload(
        ctx,
        await restoreConstraintSetVersion(dbOf(ctx), setId, vId, adminSave(ctx, note)),
      );
    },
    archiveConstraintSet: async (_p, { id }, ctx) => {
      requireRole(ctx.caller, "ADMIN");
      return archiveConstraintSet(dbOf(ctx), parseId(id, "id", "ConstraintSet"), {
        name: ctx.caller.name,
        keyId: ctx.caller.keyId,
      });
    },
    unarchiveConstraintSet: async (_p, { id }, ctx) => {
      requireRole(ctx.caller, "ADMIN");
      return unarchiveConstraintSet(dbOf(ctx), parseId(id, "id", "ConstraintSet"), {
        name: ctx.caller.name,
        keyId: ctx.caller.keyId,
      });
    },
  },
  ConstraintSet: {
    id: (s) => globalId("ConstraintSet", s.id),
    archived: (s) => s.archivedAt !== null,
    latestVersion: async (s, _a, ctx) => {
      const versions = await ctx.loaders.versionsBySet.load(s.id);
      if (!versions[0]) throw new NotFoundError(`constraint set ${s.id} has no version`);
      return versions[0];
    },
    versions: async (s, args, ctx) => {
      const req = pageRequest(args, VERSION_ORDER, ctx.budget, "ConstraintSet.versions");
      const { rows, totalCount } = await versionsOfSet(ctx.pool, s.id, req);
      return { ...toPage(rows, req, (v) => [v.version]), totalCount };
    },
  },
  ConstraintSetVersion: {
    id: (v) => globalId("ConstraintSetVersion", v.id),
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
