// The deployment's roles (deploy/postgres/roles.sql, as docker-compose.yml runs it): migrations
// applied by the migration role leave everything owned by the application role, and the
// application role alone (no superuser) imports, plans through the queue and serves; it cannot
// create roles, read server files or run programs. 10,000 customers make the score import take
// its bulk path, which drops and re-creates constraints: only an owner may.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { Pool } from "pg";
import { adminQuery, databaseUrl } from "../../src/db/admin";
import { createApiKeyInDatabase, startApiServer, dbId } from "../support/api-server";
import { runCli } from "../support/cli";
import {
  generatedDataset,
  importWithConstraints,
  ok,
  pollPlan,
  type GeneratedDataset,
} from "./api/helpers";

const ROLES_SQL = path.resolve(__dirname, "..", "..", "deploy", "postgres", "roles.sql");
const suffix = randomBytes(4).toString("hex");
const dbName = `offerplan_roles_${suffix}`;
const appRole = `offerplan_app_${suffix}`;
const migrateRole = `offerplan_migrate_${suffix}`;
const server = process.env.OFFERPLAN_TEST_SERVER!;

/** The test database's URL as `role` (trust auth here: the password is carried, not checked). */
function urlAs(role: string): string {
  const url = new URL(databaseUrl(server, dbName));
  url.username = role;
  url.password = "not-checked";
  return url.toString();
}

let data: GeneratedDataset;
let app: Pool;

beforeAll(async () => {
  await adminQuery(server, `CREATE DATABASE ${dbName} TEMPLATE template0`);
  await promisify(execFile)("psql", [
    databaseUrl(server, dbName),
    "-q",
    ...["-v", `dbname=${dbName}`, "-v", `app_role=${appRole}`, "-v", "app_password=a p'w"],
    ...["-v", `migrate_role=${migrateRole}`, "-v", "migrate_password=m-pw"],
    "-f",
    ROLES_SQL,
  ]);
  const migrated = await runCli(urlAs(migrateRole), "migrate");
  if (migrated.code !== 0) throw new Error(`migrate failed: ${migrated.stderr}`);
  app = new Pool({ connectionString: urlAs(appRole), max: 2 });
  data = await generatedDataset(10_000, 7);
}, 120_000);

afterAll(async () => {
  await app?.end();
  await data?.remove();
  await adminQuery(
    server,
    `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`,
    `DROP ROLE IF EXISTS ${migrateRole}`,
    `DROP ROLE IF EXISTS ${appRole}`,
  );
});

it("gives the application role no power beyond its database", async () => {
  const { rows } = await app.query(
    `SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls
     FROM pg_roles WHERE rolname = current_user`,
  );
  expect(rows).toEqual([
    {
      rolsuper: false,
      rolcreaterole: false,
      rolcreatedb: false,
      rolreplication: false,
      rolbypassrls: false,
    },
  ]);
  await expect(app.query(`CREATE ROLE intruder_${suffix}`)).rejects.toThrow(/permission denied/);
  await expect(app.query("SELECT pg_read_file('/etc/hostname')")).rejects.toThrow(
    /permission denied/,
  );
  await expect(app.query("COPY (SELECT 1) TO PROGRAM 'true'")).rejects.toThrow(
    /permission denied|must be superuser/,
  );
});

it("owns everything the migration role created, the job queue's schema included", async () => {
  const { rows } = await app.query<{ schema: string; owner: string; n: number }>(
    `SELECT n.nspname AS schema, pg_get_userbyid(c.relowner) AS owner, count(*)::int AS n
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname IN ('public', 'graphile_worker', 'bi') AND c.relkind IN ('r', 'p', 'v', 'S')
     GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  expect(rows.map((r) => [r.schema, r.owner])).toEqual([
    ["bi", appRole],
    ["graphile_worker", appRole],
    ["public", appRole],
  ]);
  const schemas = await app.query<{ nspname: string; owner: string }>(
    `SELECT nspname, pg_get_userbyid(nspowner) AS owner FROM pg_namespace
     WHERE nspname IN ('public', 'graphile_worker', 'bi') ORDER BY 1`,
  );
  expect(schemas.rows).toEqual([
    { nspname: "bi", owner: appRole },
    { nspname: "graphile_worker", owner: appRole },
    { nspname: "public", owner: appRole },
  ]);
});

it("imports, queues and writes a plan as the application role", async () => {
  const url = urlAs(appRole);
  const [srv, { secret }] = await Promise.all([
    startApiServer({ databaseUrl: url, workers: 1 }),
    createApiKeyInDatabase(url, "ADMIN", "roles"),
  ]);
  try {
    const versionId = await importWithConstraints(srv, secret, data);
    const { runPlan } = ok(
      await srv.gql<{ runPlan: { id: string } }>(
        `mutation ($v: ID!) { runPlan(input: { constraintSetVersionId: $v, method: CLUSTER_LP }) { id } }`,
        { v: versionId },
        secret,
      ),
    );
    const states = await pollPlan(srv, secret, runPlan.id, undefined, { timeoutMs: 90_000 });
    expect(states.at(-1)).toMatchObject({ status: "SUCCEEDED" });
    // the plan's own partition was attached by the application role
    const { rows } = await app.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM plan_assignment WHERE plan_id = $1",
      [dbId(runPlan.id)],
    );
    expect(rows[0]!.n).toBeGreaterThan(0);
  } finally {
    await srv.stop();
  }
}, 120_000);
