// Per-key rate limiting: a token bucket per API key held in PostgreSQL, so that two server
// processes on one database share it. Over the rate, HTTP 429 with Retry-After and RATE_LIMITED.
import { createApiKeyInDatabase, startApiServer, type ApiServer } from "../../support/api-server";
import { createTestDatabase, type TestDatabase } from "../../support/db";
import { failure, ok } from "./helpers";

let db: TestDatabase;
let a: ApiServer;
let b: ApiServer;
let viewer: string;
let other: string;

// One token a second, three at most: tiny, so the test sees the limit after three requests.
const TINY = ["--rate-limit", "1", "--rate-burst", "3"];

beforeAll(async () => {
  db = await createTestDatabase();
  [a, b, { secret: viewer }, { secret: other }] = await Promise.all([
    startApiServer({ databaseUrl: db.url, workers: 0, extraArgs: TINY }),
    startApiServer({ databaseUrl: db.url, workers: 0, extraArgs: TINY }),
    createApiKeyInDatabase(db.url, "VIEWER", "rate viewer"),
    createApiKeyInDatabase(db.url, "VIEWER", "rate other"),
  ]);
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await db?.drop();
});

const Q = `{ viewer { name } }`;

it("shares one bucket per key across server processes, answering 429 with Retry-After", async () => {
  // The burst, spread over both servers.
  ok(await a.gql(Q, {}, viewer));
  ok(await b.gql(Q, {}, viewer));
  ok(await a.gql(Q, {}, viewer));
  // The fourth within a second is refused, whichever server gets it.
  const started = Date.now();
  const res = await fetch(`${b.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${viewer}` },
    body: JSON.stringify({ query: Q }),
  });
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers.get("retry-after"));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  const body = (await res.json()) as {
    data?: unknown;
    errors: { message: string; extensions: { code: string; limit: number } }[];
  };
  expect(body.data ?? null).toBeNull();
  expect(body.errors).toHaveLength(1);
  expect(body.errors[0]!.extensions.code).toBe("RATE_LIMITED");
  expect(body.errors[0]!.message).toMatch(/1 request\(s\) a second/);
  expect(body.errors[0]!.message).toMatch(/3/);
  expect(body.errors[0]!.message).toMatch(/Retry-After/);
  expect(failure(await a.gql(Q, {}, viewer)).code).toBe("RATE_LIMITED");

  // Another key has its own bucket.
  ok(await a.gql(Q, {}, other));

  // After Retry-After the key may send again.
  await new Promise((r) => setTimeout(r, Math.max(0, retryAfter * 1000 - (Date.now() - started))));
  ok(await b.gql(Q, {}, viewer));
});

it("keeps the bucket in one row per key", async () => {
  const { rows } = await db.pool.query<{ n: number; unlogged: boolean }>(
    `SELECT (SELECT count(*)::int FROM rate_limit_bucket) AS n,
            (SELECT relpersistence = 'u' FROM pg_class WHERE relname = 'rate_limit_bucket') AS unlogged`,
  );
  expect(rows[0]).toEqual({ n: 2, unlogged: true });
});
