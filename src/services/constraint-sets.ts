// Constraint sets and their immutable versions. Saving a changed definition creates a new
// version; an unchanged one returns the latest version as it is.
import { isDeepStrictEqual } from "node:util";
import type { PoolClient } from "pg";
import {
  insertConstraintSet,
  insertVersion,
  isNameTaken,
  latestVersion,
  lockConstraintSet,
  renameConstraintSet,
  setArchivedAt,
} from "../db/constraint-sets";
import type { Db } from "../db/handle";
import type { PrismaClient } from "../db/prisma";
import {
  parseConstraintSet,
  type ConstraintSetDefinition,
  type FieldProblem,
} from "../domain/constraint-set";
import type { ConstraintSet } from "../generated/prisma/client";
import { ConstraintResolutionError } from "../domain/resolution-error";
import { resolveConstraints } from "./resolve-constraints";
import { resolvePolicies } from "../domain/resolve-policies";
import { CLI_ACTOR, recordAudit, type Actor } from "../db/audit";
import { diffDefinitions, type Change } from "../domain/constraint-patch";
import { ConflictError, ConstraintSetInputError, NotFoundError } from "./errors";

// raised here; its home is with the other service errors, which callers translate
export { ConstraintSetInputError };

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
  /** why the version was made, kept with it */
  note?: string;
  /** who acts, for the audit trail (default: the key named by createdBy, or the command line) */
  actor?: Actor;
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

/** A set's name is taken (names are unique without regard to case). */
function nameTaken(e: unknown, name: string): ConflictError | null {
  if (isNameTaken(e))
    return new ConflictError(`a constraint set named "${name}" exists already (names ignore case)`);
  return null;
}

export async function createConstraintSet(
  db: Db,
  input: unknown,
  { createdBy, note, ...opts }: SaveOptions = {},
): Promise<VersionChange> {
  const definition = validate(input);
  if (opts.checkDataset) await checkDataset(db.prisma, definition);
  try {
    return await db.tx(async (client) => {
      const constraintSetId = await insertConstraintSet(client, definition.name);
      const versionId = await insertVersion(client, {
        constraintSetId,
        version: 1,
        definition,
        createdBy: createdBy ?? null,
        note: note ?? null,
      });
      await recordAudit(client, {
        actor: actorOf(opts.actor, createdBy),
        action: "constraint_set.create",
        subjectType: "constraint_set",
        subjectId: constraintSetId,
        after: { versionId, version: 1, name: definition.name, note: note ?? null },
      });
      const ref = { constraintSetId, versionId, version: 1, definition, created: true };
      return { ...ref, changes: diffDefinitions(EMPTY, definition) };
    });
  } catch (e) {
    throw nameTaken(e, definition.name) ?? e;
  }
}

/**
 * Replaces the set's whole definition (what is left out is gone: use patchConstraintSet to
 * change a part). A new version when the definition changed; the latest version when it did not.
 */
export async function reviseConstraintSet(
  db: Db,
  constraintSetId: number,
  input: unknown,
  opts: SaveOptions = {},
): Promise<VersionChange> {
  const definition = validate(input);
  if (opts.checkDataset) await checkDataset(db.prisma, definition);
  return saveVersion(db, constraintSetId, () => definition, opts, "revise");
}

export interface VersionChange extends VersionRef {
  /** what the new version changed from the one before (empty when no version was made) */
  changes: Change[];
}

/** What a new version is made by: the audit trail's verb. */
export type VersionAction = "revise" | "patch" | "restore";

/**
 * A new version of the set made from its latest definition (`next`), in one transaction that
 * serialises concurrent changes of the set and records the change in the audit trail. An archived
 * set is read-only until it is unarchived.
 */
export async function saveVersion(
  db: Db,
  constraintSetId: number,
  next: (latest: ConstraintSetDefinition) => ConstraintSetDefinition,
  { createdBy, note, actor }: SaveOptions,
  action: VersionAction,
  detail: Record<string, unknown> = {},
): Promise<VersionChange> {
  let name = "";
  try {
    return await db.tx(async (client) => {
      await lockWritableSet(client, constraintSetId);
      const latest = await latestVersion(client, constraintSetId);
      const before = validate(latest.definition);
      const definition = next(before);
      name = definition.name;
      const unchanged = { constraintSetId, versionId: latest.id, version: latest.version };
      if (isDeepStrictEqual(latest.definition, definition))
        return { ...unchanged, definition, created: false, changes: [] };
      const version = latest.version + 1;
      const versionId = await insertVersion(client, {
        constraintSetId,
        version,
        definition,
        createdBy: createdBy ?? null,
        note: note ?? null,
      });
      await renameConstraintSet(client, constraintSetId, name);
      await recordAudit(client, {
        actor: actorOf(actor, createdBy),
        action: `constraint_set.${action}`,
        subjectType: "constraint_set",
        subjectId: constraintSetId,
        before: { versionId: latest.id, version: latest.version },
        after: { versionId, version, note: note ?? null, ...detail },
      });
      const ref = { constraintSetId, versionId, version, definition, created: true };
      return { ...ref, changes: diffDefinitions(before, definition) };
    });
  } catch (e) {
    throw nameTaken(e, name) ?? e;
  }
}

/** Locks the set for a new version; an archived set is read-only. */
async function lockWritableSet(client: PoolClient, constraintSetId: number): Promise<void> {
  const set = await lockConstraintSet(client, constraintSetId);
  if (!set) throw new NotFoundError(`constraint set ${constraintSetId} does not exist`);
  if (set.archivedAt)
    throw new ConflictError(
      `constraint set ${constraintSetId} is archived: unarchive it before changing it`,
    );
}

const EMPTY = { name: "" } as unknown as ConstraintSetDefinition;

const actorOf = (actor: Actor | undefined, createdBy: string | undefined): Actor =>
  actor ?? (createdBy && createdBy !== "cli" ? { name: createdBy, keyId: null } : CLI_ACTOR);

/** The CLI's `--constraints FILE`: the set of that name is revised (or created) from the file. */
export async function saveConstraintSetByName(db: Db, input: unknown): Promise<VersionChange> {
  const definition = validate(input);
  const existing = await db.prisma.constraintSet.findFirst({
    where: { name: { equals: definition.name, mode: "insensitive" } },
  });
  return existing
    ? reviseConstraintSet(db, existing.id, definition)
    : createConstraintSet(db, definition);
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

/**
 * Hides a set from lists and makes it read-only: it can no longer be changed or run until it is
 * unarchived. Its versions and the plans that used them stay readable.
 */
export async function archiveConstraintSet(db: Db, id: number, actor?: Actor) {
  return setArchived(db, id, true, actor ?? CLI_ACTOR);
}

/** Lists the set again, and lets it be changed and run. */
export async function unarchiveConstraintSet(db: Db, id: number, actor?: Actor) {
  return setArchived(db, id, false, actor ?? CLI_ACTOR);
}

async function setArchived(
  db: Db,
  id: number,
  archive: boolean,
  actor: Actor,
): Promise<ConstraintSet> {
  await db.tx(async (client) => {
    const set = await lockConstraintSet(client, id);
    if (!set) throw new NotFoundError(`constraint set ${id} does not exist`);
    if ((set.archivedAt !== null) === archive)
      throw new ConflictError(`constraint set ${id} is ${archive ? "already" : "not"} archived`);
    await setArchivedAt(client, id, archive ? new Date() : null);
    await recordAudit(client, {
      actor,
      action: `constraint_set.${archive ? "archive" : "unarchive"}`,
      subjectType: "constraint_set",
      subjectId: id,
    });
  });
  // the set as the API and the CLI read it, once the change is visible
  return db.prisma.constraintSet.findUniqueOrThrow({ where: { id } });
}
