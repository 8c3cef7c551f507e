// A constraint set's history as admins work with it: change a part (patch), see what changed
// between two versions (diff), and go back to an old version (restore, as a new version).
import type { Db } from "../db/handle";
import type { PrismaClient } from "../db/prisma";
import {
  applyPatch,
  diffDefinitions,
  KEYED_LISTS,
  PatchError,
  patchedParts,
  type Change,
} from "../domain/constraint-patch";
import {
  parseConstraintSet,
  type ConstraintSetDefinition,
  type FieldProblem,
} from "../domain/constraint-set";
import {
  checkDataset,
  ConstraintSetInputError,
  getVersion,
  saveVersion,
  type SaveOptions,
  type VersionChange,
} from "./constraint-sets";
import { InputError, NotFoundError } from "./errors";

/**
 * A new version with `patch` merged into the latest (domain/constraint-patch.ts: lists by key,
 * null removes), checked as a whole and against the dataset like any new version.
 */
export async function patchConstraintSet(
  db: Db,
  constraintSetId: number,
  patch: unknown,
  opts: SaveOptions = {},
): Promise<VersionChange> {
  const merge = (latest: ConstraintSetDefinition) => {
    let merged: Record<string, unknown>;
    try {
      merged = applyPatch(latest, patch);
    } catch (e) {
      if (e instanceof PatchError)
        throw new InputError(`patch${e.path ? `.${e.path}` : ""}`, e.message);
      throw e;
    }
    const res = parseConstraintSet(merged);
    if (!res.ok) throw inPatch(res.problems, merged, patch as Record<string, unknown>);
    return res.value;
  };
  if (opts.checkDataset) {
    // the dataset check reads outside the version's transaction: merge once to check, then again
    // inside it, from the latest version as it is then
    const merged = merge((await latestVersion(db.prisma, constraintSetId)).definition);
    try {
      await checkDataset(db.prisma, merged);
    } catch (e) {
      if (!(e instanceof ConstraintSetInputError)) throw e;
      throw inPatch(
        e.problems,
        merged as unknown as Record<string, unknown>,
        patch as Record<string, unknown>,
      );
    }
  }
  return saveVersion(db, constraintSetId, merge, opts, "patch", { patch });
}

/**
 * Problems of the patched definition, reported where the patch names them: a list entry by its
 * key (or index) in the patch, not by its place in the merged list. Problems of what the patch
 * did not touch are the version's own and keep their path.
 */
function inPatch(
  problems: FieldProblem[],
  merged: Record<string, unknown>,
  patch: Record<string, unknown>,
): ConstraintSetInputError {
  const lists = KEYED_LISTS.filter((f) => f in patch);
  const mapped = problems.map((p) => {
    const [field, index, ...rest] = p.path.split(".");
    if (!field || !lists.includes(field) || index === undefined) return p;
    const entry = (merged[field] as Record<string, unknown>[] | undefined)?.[Number(index)];
    const { fields, at } = patchedParts(merged, patch);
    const i = (fields[field] as unknown[] | undefined)?.indexOf(entry) ?? -1;
    return i >= 0 ? { ...p, path: [field, at[field]![i], ...rest].join(".") } : p;
  });
  return new ConstraintSetInputError(mapped, "patch");
}

async function latestVersion(prisma: PrismaClient, constraintSetId: number) {
  const latest = await prisma.constraintSetVersion.findFirst({
    where: { constraintSetId },
    orderBy: { version: "desc" },
    select: { id: true },
  });
  if (!latest) throw new NotFoundError(`constraint set ${constraintSetId} does not exist`);
  return getVersion(prisma, latest.id);
}

/** What changed from one version to another (any two versions, of any sets). */
export async function diffConstraintSetVersions(
  prisma: PrismaClient,
  fromVersionId: number,
  toVersionId: number,
): Promise<Change[]> {
  const [from, to] = await Promise.all([
    getVersion(prisma, fromVersionId),
    getVersion(prisma, toVersionId),
  ]);
  return diffDefinitions(from.definition, to.definition);
}

/** A new version of the set equal to one of its old versions; the history keeps what came between. */
export async function restoreConstraintSetVersion(
  db: Db,
  constraintSetId: number,
  versionId: number,
  opts: SaveOptions = {},
): Promise<VersionChange> {
  const old = await getVersion(db.prisma, versionId);
  if (old.constraintSetId !== constraintSetId)
    throw new InputError(
      "versionId",
      `version ${versionId} belongs to constraint set ${old.constraintSetId}, not ${constraintSetId}`,
    );
  return saveVersion(
    db,
    constraintSetId,
    () => old.definition,
    { ...opts, note: opts.note ?? `restores version ${old.version}` },
    "restore",
    { restoredVersionId: versionId, restoredVersion: old.version },
  );
}

export interface VersionSummary {
  id: number;
  version: number;
  createdAt: Date;
  createdBy: string | null;
  note: string | null;
}

export interface SetSummary {
  id: number;
  name: string;
  archived: boolean;
  latestVersion: number;
  latestVersionId: number;
  versions: VersionSummary[];
}

/** Every set (archived ones when asked) with its versions, newest first. */
export async function constraintSetHistory(
  prisma: PrismaClient,
  opts: { includeArchived?: boolean; id?: number } = {},
): Promise<SetSummary[]> {
  const sets = await prisma.constraintSet.findMany({
    where: {
      ...(opts.includeArchived || opts.id !== undefined ? {} : { archivedAt: null }),
      ...(opts.id !== undefined ? { id: opts.id } : {}),
    },
    orderBy: { id: "asc" },
    include: {
      versions: {
        orderBy: { version: "desc" },
        select: { id: true, version: true, createdAt: true, createdBy: true, note: true },
      },
    },
  });
  if (opts.id !== undefined && sets.length === 0)
    throw new NotFoundError(`constraint set ${opts.id} does not exist`);
  return sets.map((s) => ({
    id: s.id,
    name: s.name,
    archived: s.archivedAt !== null,
    latestVersion: s.versions[0]?.version ?? 0,
    latestVersionId: s.versions[0]?.id ?? 0,
    versions: s.versions,
  }));
}
