// A revoked key stops working at once in every server process on the database, whether it was
// revoked over the API or with the CLI; key creation and revocation are audited with who did it.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import {
  createApiKeyInDatabase,
  createApiKeyWithCli,
  startApiServer,
  type ApiServer,
  dbId,
} from "../../support/api-server";
import { createTestDatabase, type TestDatabase } from "../../support/db";
import { failure, ok } from "./helpers";

const BIN = path.join(__dirname, "..", "..", "..", "bin", "offerplan.js");
const run = promisify(execFile);

let db: TestDatabase;
let a: ApiServer;
let b: ApiServer;
let admin: { id: number; secret: string };

beforeAll(async () => {
  db = await createTestDatabase();
  [a, b, admin] = await Promise.all([
    startApiServer({ databaseUrl: db.url, workers: 0 }),
    startApiServer({ databaseUrl: db.url, workers: 0 }),
    createApiKeyInDatabase(db.url, "ADMIN", "keys admin"),
  ]);
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await db?.drop();
});

const VIEWER = `{ viewer { name } }`;

/** Both servers answer the key, so both have it in their key cache. */
async function warm(secret: string) {
  for (const s of [a, b]) ok(await s.gql(VIEWER, {}, secret));
  for (const s of [a, b]) ok(await s.gql(VIEWER, {}, secret));
}

function expectRevoked(res: Awaited<ReturnType<ApiServer["gql"]>>) {
  expect(res.status).toBe(401);
  expect(failure(res).code).toBe("UNAUTHENTICATED");
}

interface AuditRow {
  actor: string;
  actor_key_id: number | null;
  action: string;
  subject_type: string;
  subject_id: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

async function auditOf(keyId: number): Promise<AuditRow[]> {
  const r = await db.pool.query<AuditRow>(
    `SELECT actor, actor_key_id, action, subject_type, subject_id, before, after
     FROM audit_event WHERE subject_type = 'api_key' AND subject_id = $1 ORDER BY id`,
    [String(keyId)],
  );
  return r.rows;
}

describe("revocation", () => {
  it("through the API: the very next request with the key is 401 on both servers", async () => {
    const { createApiKey } = ok(
      await a.gql<{ createApiKey: { secret: string; apiKey: { id: string; createdBy: string } } }>(
        `mutation { createApiKey(name: "short-lived", role: VIEWER) { secret apiKey { id createdBy } } }`,
        {},
        admin.secret,
      ),
    );
    expect(createApiKey.apiKey.createdBy).toBe(String(admin.id));
    await warm(createApiKey.secret);
    ok(
      await a.gql(
        `mutation ($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`,
        { id: createApiKey.apiKey.id },
        admin.secret,
      ),
    );
    expectRevoked(await a.gql(VIEWER, {}, createApiKey.secret));
    expectRevoked(await b.gql(VIEWER, {}, createApiKey.secret));

    const id = dbId(createApiKey.apiKey.id);
    const audit = await auditOf(id);
    expect(audit).toEqual([
      expect.objectContaining({
        actor: "keys admin",
        actor_key_id: admin.id,
        action: "api_key.create",
        before: null,
        after: expect.objectContaining({
          name: "short-lived",
          role: "VIEWER",
          createdBy: String(admin.id),
        }),
      }),
      expect.objectContaining({
        actor: "keys admin",
        actor_key_id: admin.id,
        action: "api_key.revoke",
        before: expect.objectContaining({ revokedAt: null }),
        after: expect.objectContaining({ revokedAt: expect.any(String) }),
      }),
    ]);
    // the hash never goes into the audit trail
    expect(JSON.stringify(audit)).not.toMatch(/keyHash|key_hash/);
  });

  it("with the CLI: the very next request with the key is 401 on both servers", async () => {
    const key = await createApiKeyWithCli(db.url, "VIEWER", "cli-made");
    const { rows } = await db.pool.query<{ created_by: string }>(
      "SELECT created_by FROM api_key WHERE id = $1",
      [key.id],
    );
    expect(rows[0]!.created_by).toBe("cli");
    await warm(key.secret);
    await run(process.execPath, [BIN, "apikey", "revoke", String(key.id)], {
      env: { ...process.env, DATABASE_URL: db.url },
    });
    expectRevoked(await a.gql(VIEWER, {}, key.secret));
    expectRevoked(await b.gql(VIEWER, {}, key.secret));
    expect((await auditOf(key.id)).map((r) => [r.actor, r.actor_key_id, r.action])).toEqual([
      ["cli", null, "api_key.create"],
      ["cli", null, "api_key.revoke"],
    ]);
  });

  it("keeps working for keys nobody revoked, and after the listener's connection drops", async () => {
    const other = await createApiKeyInDatabase(db.url, "VIEWER", "stays");
    const victim = await createApiKeyInDatabase(db.url, "VIEWER", "goes");
    await warm(other.secret);
    await warm(victim.secret);
    // Kill server b's LISTEN connection: it must reconnect and still hear the next revocation.
    await db.pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = current_database() AND query ILIKE 'LISTEN%'`,
    );
    await b.waitForLog((l) => l.msg === "listening for key revocations" && l.reconnect === true);
    ok(
      await a.gql(
        `mutation ($id: ID!) { revokeApiKey(id: $id) { id } }`,
        { id: String(victim.id) },
        admin.secret,
      ),
    );
    expectRevoked(await b.gql(VIEWER, {}, victim.secret));
    ok(await b.gql(VIEWER, {}, other.secret));
  });
});
