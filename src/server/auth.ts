// Who is calling: the API key in `Authorization: Bearer <key>`, looked up by its hash. Known
// keys are cached for a few seconds so that a burst of requests costs one lookup; a revoked key
// therefore stops working within KEY_CACHE_MS.
import type { Pool } from "pg";
import type { ApiRole } from "../generated/prisma/client";
import { hashSecret } from "../services/api-keys";

export interface Caller {
  keyId: number;
  name: string;
  role: ApiRole;
}

const RANK: Record<ApiRole, number> = { VIEWER: 0, ANALYST: 1, ADMIN: 2 };
const KEY_CACHE_MS = 5_000;
const LAST_USED_EVERY_MS = 60_000;

export class UnauthenticatedError extends Error {
  override name = "UnauthenticatedError";
}
export class ForbiddenError extends Error {
  override name = "ForbiddenError";
}

export function requireRole(caller: Caller, role: ApiRole): void {
  if (RANK[caller.role] < RANK[role])
    throw new ForbiddenError(
      `this needs the ${role} role; the key "${caller.name}" is ${caller.role}`,
    );
}

export class Authenticator {
  private readonly cache = new Map<string, { caller: Caller | null; until: number }>();
  private readonly lastUsedWrite = new Map<number, number>();

  constructor(private readonly pool: Pool) {}

  async authenticate(header: string | undefined): Promise<Caller> {
    if (!header) throw new UnauthenticatedError("missing Authorization: Bearer <API key>");
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw new UnauthenticatedError("the Authorization header must be: Bearer <API key>");
    const hash = hashSecret(m[1]!);
    const now = Date.now();
    let hit = this.cache.get(hash);
    if (!hit || hit.until < now) {
      const res = await this.pool.query<{ id: number; name: string; role: ApiRole }>(
        "SELECT id, name, role FROM api_key WHERE key_hash = $1 AND revoked_at IS NULL",
        [hash],
      );
      const row = res.rows[0];
      hit = {
        caller: row ? { keyId: row.id, name: row.name, role: row.role } : null,
        until: now + KEY_CACHE_MS,
      };
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(hash, hit);
    }
    if (!hit.caller) throw new UnauthenticatedError("unknown or revoked API key");
    this.touch(hit.caller.keyId, now);
    return hit.caller;
  }

  private touch(keyId: number, now: number): void {
    if (now - (this.lastUsedWrite.get(keyId) ?? 0) < LAST_USED_EVERY_MS) return;
    this.lastUsedWrite.set(keyId, now);
    void this.pool
      .query("UPDATE api_key SET last_used_at = now() WHERE id = $1", [keyId])
      .catch(() => undefined);
  }
}
