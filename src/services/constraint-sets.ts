// Constraint sets and their immutable versions. Saving a changed definition creates a new
// version; an unchanged one returns the latest version as it is.
import { isDeepStrictEqual } from "node:util";
import type { PrismaClient } from "../db/prisma";
import {
  parseConstraintSet,
  type ConstraintSetDefinition,
  type FieldProblem,
} from "../domain/constraint-set";
import { Prisma } from "../generated/prisma/client";
import { ConstraintResolutionError } from "../domain/resolution-error";
import { resolveConstraints } from "./resolve-constraints";
import { resolvePolicies } from "../domain/resolve-policies";
import { ConflictError, NotFoundError } from "./errors";

export class ConstraintSetInputError extends Error {
  constructor(readonly problems: FieldProblem[]) {
    super(problems.map((p) => `${p.path || "(input)"}: ${p.message}`).join("; "));
  }
}

export interface VersionRef {
  constraintSetId: number;
  versionId: number;
  version: number;
  definition: ConstraintSetDefinition;
  created: boolean;
}

function validate(input: unknown): ConstraintSetDefinition {
  const res = parseConstraintSet(input);
  if (!res.ok) throw new ConstraintSetInputError(res.problems);
  return res.value;
}

export interface SaveOptions {
  /** recorded on the version: an API key's name, or "cli" */
  createdBy?: string;
  /**
   * Also reject ids the imported dataset does not have (unknown offer, channel, segment) and
   * limits that contradict its offers.csv. Skipped while no dataset is imported, so a set can be
   * drafted first.
   */
  checkDataset?: boolean;
}

/** Ids and limits of `def` against the imported dataset (nothing to check without one). */
export async function checkDataset(
  prisma: PrismaClient,
  def: ConstraintSetDefinition,
): Promise<void> {
  const [offers, channels, segments] = await Promise.all([
    prisma.offer.findMany({
      select: { externalId: true, minVolume: true, maxVolume: true, category: true },
    }),
    prisma.channel.findMany({ select: { externalId: true, capacity: true } }),
    prisma.$queryRaw<{ segment: string }[]>`SELECT DISTINCT segment FROM customer
      WHERE segment IS NOT NULL`,
  ]);
  if (channels.length === 0) return;
  try {
    resolveConstraints(def, {
      offerIds: offers.map((o) => o.externalId),
      channelIds: channels.map((c) => c.externalId),
      segments: segments.map((s) => s.segment),
      channelCapacity: channels.map((c) => c.capacity ?? Infinity),
      offerMin: offers.map((o) => o.minVolume),
      offerMax: offers.map((o) => o.maxVolume ?? Infinity),
    });
    // channel capacities of waves, and the contact policies' ids and categories
    const channelIds = new Set(channels.map((c) => c.externalId));
    const problems: FieldProblem[] = [];
    (def.waves ?? []).forEach((w, n) =>
      w.channelCapacities.forEach((c, t) => {
        if (!channelIds.has(c.channelId)) {
          problems.push({
            path: `waves.${n}.channelCapacities.${t}.channelId`,
            message: `unknown channel "${c.channelId}"`,
          });
        }
      }),
    );
    if (problems.length > 0) throw new ConstraintResolutionError(problems);
    resolvePolicies(def, {
      offerIds: offers.map((o) => o.externalId),
      channelIds: channels.map((c) => c.externalId),
      offerCategory: offers.map((o) => o.category),
    });
  } catch (e) {
    if (e instanceof ConstraintResolutionError) throw new ConstraintSetInputError(e.problems);
    throw e;
  }
}

export async function createConstraintSet(
  prisma: PrismaClient,
  input: unknown,
  { createdBy, ...opts }: SaveOptions = {},
): Promise<VersionRef> {
  const definition = validate(input);
  if (opts.checkDataset) await checkDataset(prisma, definition);
  const set = await prisma.constraintSet.create({
    data: {
      name: definition.name,
      versions: {
        create: { version: 1, definition: definition as Prisma.InputJsonObject, createdBy },
      },
    },
    include: { versions: true },
  });
  const v = set.versions[0]!;
  return { constraintSetId: set.id, versionId: v.id, version: 1, definition, created: true };
}

/** A new version when the definition changed; the latest version when it did not. */
export async function reviseConstraintSet(
  prisma: PrismaClient,
  constraintSetId: number,
  input: unknown,
  { createdBy, ...opts }: SaveOptions = {},
): Promise<VersionRef> {
  const definition = validate(input);
  if (opts.checkDataset) await checkDataset(prisma, definition);
  return prisma.$transaction(async (tx) => {
    // Serialise concurrent revisions of the same set.
    await tx.$queryRaw`SELECT id FROM constraint_set WHERE id = ${constraintSetId} FOR UPDATE`;
    const latest = await tx.constraintSetVersion.findFirst({
      where: { constraintSetId },
      orderBy: { version: "desc" },
    });
    if (!latest) throw new NotFoundError(`constraint set ${constraintSetId} does not exist`);
    if (isDeepStrictEqual(latest.definition, definition))
      return {
        constraintSetId,
        versionId: latest.id,
        version: latest.version,
        definition,
        created: false,
      };
    const v = await tx.constraintSetVersion.create({
      data: {
        constraintSetId,
        version: latest.version + 1,
        definition: definition as Prisma.InputJsonObject,
        createdBy,
      },
    });
    await tx.constraintSet.update({
      where: { id: constraintSetId },
      data: { name: definition.name },
    });
    return { constraintSetId, versionId: v.id, version: v.version, definition, created: true };
  });
}

/** The CLI's `--constraints FILE`: the set of that name is revised (or created) from the file. */
export async function saveConstraintSetByName(
  prisma: PrismaClient,
  input: unknown,
): Promise<VersionRef> {
  const definition = validate(input);
  const existing = await prisma.constraintSet.findFirst({
    where: { name: definition.name, archivedAt: null },
    orderBy: { id: "desc" },
  });
  return existing
    ? reviseConstraintSet(prisma, existing.id, definition)
    : createConstraintSet(prisma, definition);
}

export async function getVersion(prisma: PrismaClient, versionId: number): Promise<VersionRef> {
  const v = await prisma.constraintSetVersion.findUnique({ where: { id: versionId } });
  if (!v) throw new NotFoundError(`constraint-set version ${versionId} does not exist`);
  return {
    constraintSetId: v.constraintSetId,
    versionId: v.id,
    version: v.version,
    definition: validate(v.definition),
    created: false,
  };
}

/** Hides a set from lists; its versions and the plans that used them stay readable. */
export async function archiveConstraintSet(prisma: PrismaClient, id: number) {
  const set = await prisma.constraintSet.findUnique({ where: { id } });
  if (!set) throw new NotFoundError(`constraint set ${id} does not exist`);
  if (set.archivedAt) throw new ConflictError(`constraint set ${id} is already archived`);
  return prisma.constraintSet.update({ where: { id }, data: { archivedAt: new Date() } });
}
