// Per-key rate limiting with a token bucket in PostgreSQL, so that every server process on the
// database draws on the same bucket: a key gets `burst` requests at once and `ratePerSecond`
// after that. One statement per request, atomic under concurrency (the upsert locks the key's
// row): it refills the bucket for the time since its last update, and takes a token only when a
// whole one is there; no row back means refused.
import type { Pool } from "pg";
import { LimitExceededError } from "../graphql/request-budget";

export interface RateLimitOptions {
  /** tokens added per second; 0 turns rate limiting off */
  ratePerSecond: number;
  /** the bucket's size: requests a key may send at once */
  burst: number;
}

const TAKE = `
INSERT INTO rate_limit_bucket AS b (key_id, tokens, updated_at)
VALUES ($1, $3::float8 - 1, now())
ON CONFLICT (key_id) DO UPDATE
SET tokens = LEAST($3::float8,
      b.tokens + $2::float8 * GREATEST(0, EXTRACT(EPOCH FROM now() - b.updated_at))) - 1,
    updated_at = now()
WHERE LEAST($3::float8,
      b.tokens + $2::float8 * GREATEST(0, EXTRACT(EPOCH FROM now() - b.updated_at))) >= 1
RETURNING b.tokens`;

export class RateLimiter {
  constructor(
    private readonly pool: Pool,
    readonly opts: RateLimitOptions,
  ) {}

  get enabled(): boolean {
    return this.opts.ratePerSecond > 0;
  }

  /** Takes one token for the key, or throws RATE_LIMITED. */
  async take(keyId: number): Promise<void> {
    if (!this.enabled) return;
    const res = await this.pool.query(TAKE, [keyId, this.opts.ratePerSecond, this.opts.burst]);
    if (res.rowCount) return;
    // A refused key has less than one token; one comes back within 1 / rate seconds.
    const retryAfter = Math.max(1, Math.ceil(1 / this.opts.ratePerSecond));
    throw new LimitExceededError(
      "RATE_LIMITED",
      `this API key sent more than ${this.opts.ratePerSecond} request(s) a second (bursts of up ` +
        `to ${this.opts.burst}); wait the Retry-After seconds, send fewer requests, or give ` +
        `each client its own key`,
      this.opts.ratePerSecond,
      undefined,
      retryAfter,
    );
  }
}
