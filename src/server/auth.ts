// Who is calling: the API key in `Authorization: Bearer <key>`, looked up by its hash. Known
// keys are cached for a few seconds so that a burst of requests costs one lookup. A revocation
// must not wait for the cache: revokeApiKey NOTIFYs a channel when it commits, and every server
// process LISTENs on it (KeyRevocationListener) and drops its whole cache. While that listener is
// not connected, notifications could be missed, so the cache is not used at all.
import { Client, type Pool, type PoolConfig } from "pg";
import type { Logger } from "pino";
import type { ApiRole } from "../generated/prisma/client";
import { type Caller, UnauthenticatedError } from "../auth";
import { hashSecret, KEY_REVOKED_CHANNEL } from "../services/api-keys";

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
  private client: Client | null = null;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;

  constructor(
    private readonly config: PoolConfig,
    private readonly auth: Authenticator,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    await this.connect(false);
  }

  private async connect(reconnect: boolean): Promise<void> {
    if (this.stopped) return;
    this.auth.cacheEnabled = false;
    const client = new Client({ ...this.config, application_name: "offerplan-key-listener" });
    client.on("notification", (n) => {
      if (n.channel === KEY_REVOKED_CHANNEL) {
        this.auth.clear();
        this.log.info({ keyId: Number(n.payload) }, "API key revoked: key cache cleared");
      }
    });
    const lost = (e?: Error) => {
      if (this.client !== client) return;
      this.client = null;
      this.auth.cacheEnabled = false;
      if (this.stopped) return;
      this.log.warn({ err: e?.message }, "key revocation listener lost its connection");
      this.scheduleReconnect();
    };
    client.on("error", lost);
    client.on("end", () => lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${KEY_REVOKED_CHANNEL}`);
    } catch (e) {
      client.removeAllListeners("end");
      await client.end().catch(() => undefined);
      if (!reconnect) throw e;
      this.log.warn({ err: (e as Error).message }, "key revocation listener cannot connect");
      this.scheduleReconnect();
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.failures = 0;
    this.auth.clear();
    this.auth.cacheEnabled = true;
    this.log.info({ reconnect }, "listening for key revocations");
  }

  private scheduleReconnect(): void {
    const pause = Math.min(100 * 2 ** this.failures++, 5_000);
    this.retryTimer = setTimeout(() => void this.connect(true), pause);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
