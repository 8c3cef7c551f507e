// The api_key table's writes, in the caller's transaction (services/api-keys.ts audits them).
// Rows come back in the generated client's ApiKey shape, which the API and the CLI read.
import type { PoolClient } from "pg";
import type { ApiKey, ApiRole } from "../generated/prisma/client";

const COLUMNS = `id, name, role, key_hash AS "keyHash", prefix, created_at AS "createdAt",
  last_used_at AS "lastUsedAt", revoked_at AS "revokedAt", created_by AS "createdBy"`;

export interface NewApiKey {
  name: string;
  role: ApiRole;
  keyHash: string;
  prefix: string;
  createdBy: string;
}

export async function insertApiKey(client: PoolClient, k: NewApiKey): Promise<ApiKey> {
  const { rows } = await client.query<ApiKey>(
    `INSERT INTO api_key (name, role, key_hash, prefix, created_by)
     VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [k.name, k.role, k.keyHash, k.prefix, k.createdBy],
  );
  return rows[0]!;
}

/** The key, locked for the caller's transaction (two revocations cannot both pass a check). */
export async function lockApiKey(client: PoolClient, id: number): Promise<ApiKey | null> {
  const { rows } = await client.query<ApiKey>(
    `SELECT ${COLUMNS} FROM api_key WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0] ?? null;
}

export async function markApiKeyRevoked(client: PoolClient, id: number, at: Date): Promise<ApiKey> {
  const { rows } = await client.query<ApiKey>(
    `UPDATE api_key SET revoked_at = $2 WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, at],
  );
  return rows[0]!;
}

/**
 * Announces the revocation on `channel`; delivered when (and only if) the caller's transaction
 * commits. NOTIFY takes no parameters: the channel is our constant and the payload a number.
 */
export async function notifyKeyRevoked(
  client: PoolClient,
  channel: string,
  id: number,
): Promise<void> {
  await client.query(`NOTIFY ${channel}, '${Math.trunc(id)}'`);
}
