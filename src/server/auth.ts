// Who is calling: the API key in `Authorization: Bearer <key>`, looked up by its hash. Known
// keys are cached for a few seconds so that a burst of requests costs one lookup. A revocation
// must not wait for the cache: revokeApiKey NOTIFYs a channel when it commits, and every server
// process LISTENs on it (KeyRevocationListener) and drops its whole cache. While that listener is
// not connected, notifications could be missed, so the cache is not used at all.
import type { Pool, PoolConfig } from "pg";
import type { Logger } from "pino";
import type { ApiRole } from "../generated/prisma/client";
import { type Caller, UnauthenticatedError } from "../auth";
import { hashSecret, KEY_REVOKED_CHANNEL } from "../services/api-keys";
import { PgListener } from "../db/pg-listener";

const KEY_CACHE_MS = 5_000;
const LAST_USED_EVERY_MS = 60_000;

export class Authenticator {
  private readonly cache = new Map<string, { caller: Caller | null; until: number }>();
  private readonly lastUsedWrite = new Map<number, number>();
  /** bumped by every clear(), so a lookup that started before it is not cached after it */
  private generation = 0;
  /** whether revocations reach this process (set by the listener) */
  cacheEnabled = true;

  constructor(private readonly pool: Pool) {}

  /** Forgets every cached key: the next request with any key reads the database. */
  clear(): void {
    this.generation++;
    this.cache.clear();
  }

  async authenticate(header: string | undefined): Promise<Caller> {
    if (!header) throw new UnauthenticatedError("missing Authorization: Bearer <API key>");
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw new UnauthenticatedError("the Authorization header must be: Bearer <API key>");
    const hash = hashSecret(m[1]!);
    const now = Date.now();
    let hit = this.cacheEnabled ? this.cache.get(hash) : undefined;
    if (!hit || hit.until < now) {
      const generation = this.generation;
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
      // A revocation that committed during the lookup may not be in what it read.
      if (this.cacheEnabled && generation === this.generation) this.cache.set(hash, hit);
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

/**
 * One dedicated connection LISTENing for key revocations; on each, the authenticator's cache is
 * dropped. A lost connection is re-opened with a growing pause (the cache stays off meanwhile,
 * and is dropped again on reconnect, for what was missed).
 */
export class KeyRevocationListener {
  private readonly listener: PgListener;

  constructor(config: PoolConfig, auth: Authenticator, log: Logger) {
    this.listener = new PgListener(config, log, {
      name: "key revocation listener",
      applicationName: "offerplan-key-listener",
      listeningMessage: "listening for key revocations",
      channels: [KEY_REVOKED_CHANNEL],
      onNotification: (_channel, payload) => {
        auth.clear();
        log.info({ keyId: Number(payload) }, "API key revoked: key cache cleared");
      },
      onNotListening: () => {
        auth.cacheEnabled = false;
      },
      // a revocation may have been missed while the connection was down
      onListening: () => {
        auth.clear();
        auth.cacheEnabled = true;
      },
    });
  }

  async start(): Promise<void> {
    await this.listener.start();
  }

  async stop(): Promise<void> {
    await this.listener.stop();
  }
}
