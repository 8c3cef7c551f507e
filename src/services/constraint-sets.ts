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

export class ConstraintSetInputError extends Error {
  constructor(readonly problems: FieldProblem[]) {
    super(problems.map((p) => `${p.path || "(input)"}: ${p.message}`).join("; "));
  }
}

export class NotFoundError extends Error {}

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

export async function createConstraintSet(
  prisma: PrismaClient,
  input: unknown,
  createdBy?: string,
): Promise<VersionRef> {
  const definition = validate(input);
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
  createdBy?: string,
): Promise<VersionRef> {
  const definition = validate(input);
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
