// API keys: a random secret shown once, stored as its SHA-256 hash. The secret carries 256 bits
// of entropy, so a fast hash is safe (nothing to brute-force) and costs nothing per request.
// Creating and revoking a key is audited; a revocation is announced on a PostgreSQL channel so
// that every server process drops its cached keys when the revocation commits.
import { createHash, randomBytes } from "node:crypto";
import { recordAudit, type Actor } from "../db/audit";
import { insertApiKey, lockApiKey, markApiKeyRevoked, notifyKeyRevoked } from "../db/api-keys";
import type { Db } from "../db/handle";
import type { PrismaClient } from "../db/prisma";
import type { ApiKey, ApiRole } from "../generated/prisma/client";
import { ConflictError, InputError, NotFoundError } from "./errors";

export { CLI_ACTOR, type Actor } from "../db/audit";

export const ROLES: readonly ApiRole[] = ["VIEWER", "ANALYST", "ADMIN"];
const SECRET_PREFIX = "op_";

/** NOTIFY channel of revocations; the payload is the key's id. */
export const KEY_REVOKED_CHANNEL = "offerplan_api_key_revoked";

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function parseRole(value: string, field = "role"): ApiRole {
  const role = value.toUpperCase() as ApiRole;
  if (!ROLES.includes(role)) throw new InputError(field, `must be one of ${ROLES.join(", ")}`);
  return role;
}

/** A key as the audit trail shows it: never its hash. */
function audited(k: ApiKey): Record<string, unknown> {
  return {
    id: k.id,
    name: k.name,
    role: k.role,
    prefix: k.prefix,
    createdBy: k.createdBy,
    createdAt: k.createdAt.toISOString(),
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

export async function createApiKey(
  db: Db,
  name: string,
  role: ApiRole,
  actor: Actor,
): Promise<{ apiKey: ApiKey; secret: string }> {
  const trimmed = name.trim();
  if (!trimmed) throw new InputError("name", "must not be empty");
  const secret = SECRET_PREFIX + randomBytes(32).toString("base64url");
  const apiKey = await db.tx(async (client) => {
    const k = await insertApiKey(client, {
      name: trimmed,
      role,
      keyHash: hashSecret(secret),
      prefix: secret.slice(0, 10),
      createdBy: actor.keyId === null ? actor.name : String(actor.keyId),
    });
    await recordAudit(client, {
      actor,
      action: "api_key.create",
      subjectType: "api_key",
      subjectId: k.id,
      after: audited(k),
    });
    return k;
  });
  return { apiKey, secret };
}

export function listApiKeys(prisma: PrismaClient): Promise<ApiKey[]> {
  return prisma.apiKey.findMany({ orderBy: { id: "asc" } });
}

export async function revokeApiKey(db: Db, id: number, actor: Actor): Promise<ApiKey> {
  return db.tx(async (client) => {
    const key = await lockApiKey(client, id);
    if (!key) throw new NotFoundError(`API key ${id} does not exist`);
    if (key.revokedAt) throw new ConflictError(`API key ${id} is already revoked`);
    const revoked = await markApiKeyRevoked(client, id, new Date());
    await recordAudit(client, {
      actor,
      action: "api_key.revoke",
      subjectType: "api_key",
      subjectId: id,
      before: audited(key),
      after: audited(revoked),
    });
    await notifyKeyRevoked(client, KEY_REVOKED_CHANNEL, id);
    return revoked;
  });
}
