// `bi grant` changes only a role it made itself and that has nothing but the BI rights: given any
// other existing role (a person's login, the application's own, a superuser) it refuses and
// changes nothing — neither its password nor its rights.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { adminQuery } from "../../src/db/admin";
import { refreshBiRights } from "../../src/db/bi-roles";
import { BI_ROLE_COMMENT, grantBiRole } from "../../src/services/bi";
import { ConflictError } from "../../src/services/errors";
import { BIN } from "../support/cli";
import { createTestDatabase, type TestDatabase } from "../support/db";

let db: TestDatabase;
const made: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  const server = process.env.OFFERPLAN_TEST_SERVER!;
  const dbName = new URL(db.url).pathname.slice(1);
  for (const role of made) {
    await adminQuery(db.url, `DROP OWNED BY ${role}`).catch(() => undefined);
    await adminQuery(db.url, `REVOKE ALL ON DATABASE ${dbName} FROM ${role}`).catch(
      () => undefined,
    );
    await adminQuery(server, `DROP ROLE IF EXISTS ${role}`);
  }
  await db.drop();
});

function newRole(): string {
  const role = `offerplan_t_bi_${randomBytes(4).toString("hex")}`;
  made.push(role);
  return role;
}

/** What a change to the role would show: its password hash, attributes, memberships and rights. */
async function state(role: string) {
  const { rows } = await db.pool.query(
    `SELECT a.rolpassword, a.rolsuper, a.rolcreatedb, a.rolcreaterole, a.rolcanlogin,
            shobj_description(a.oid, 'pg_authid') AS comment,
            (SELECT count(*)::int FROM pg_auth_members m WHERE m.member = a.oid) AS memberships,
            has_table_privilege(a.oid, 'bi.plans', 'SELECT') AS bi_plans,
            has_table_privilege(a.oid, 'plan', 'SELECT') AS plan_table
     FROM pg_authid a WHERE a.rolname = $1`,
    [role],
  );
  return rows[0] as Record<string, unknown>;
}

async function refused(role: string): Promise<ConflictError> {
  const before = await state(role);
  const e = await grantBiRole(db.pool, role, "a-new-password").then(
    () => null,
    (err: unknown) => err,
  );
  expect(await state(role)).toEqual(before);
  if (!(e instanceof ConflictError)) throw new Error(`expected a ConflictError, got ${String(e)}`);
  expect(e.message).toContain(role);
  return e;
}

describe("bi grant on an existing role", () => {
  it("refuses a role it did not create", async () => {
    const role = newRole();
    await db.pool.query(`CREATE ROLE ${role} LOGIN PASSWORD 'the-owners-password'`);
    await refused(role);
  });

  it("refuses a superuser", async () => {
    await refused("postgres");
  });

  it("refuses its own role once it has other rights", async () => {
    const table = newRole();
    await grantBiRole(db.pool, table, "a-long-password");
    await db.pool.query(`GRANT SELECT ON plan TO ${table}`);
    await refused(table);

    const member = newRole();
    await grantBiRole(db.pool, member, "a-long-password");
    await db.pool.query(`GRANT pg_read_all_data TO ${member}`);
    await refused(member);

    const creator = newRole();
    await grantBiRole(db.pool, creator, "a-long-password");
    await db.pool.query(`ALTER ROLE ${creator} CREATEDB`);
    await refused(creator);

    const owner = newRole();
    await grantBiRole(db.pool, owner, "a-long-password");
    await db.pool.query(`CREATE TABLE owned_${owner} (x int)`);
    await db.pool.query(`ALTER TABLE owned_${owner} OWNER TO ${owner}`);
    await refused(owner);
  });

  it("refuses a role that only carries the marker", async () => {
    const role = newRole();
    await db.pool.query(`CREATE ROLE ${role} LOGIN SUPERUSER`);
    await db.pool.query(`COMMENT ON ROLE ${role} IS '${BI_ROLE_COMMENT.replace(/'/g, "''")}'`);
    await refused(role);
  });

  it("updates the password of its own role that has only the BI rights", async () => {
    const role = newRole();
    await grantBiRole(db.pool, role, "a-long-password");
    const before = await state(role);
    expect(before).toMatchObject({ bi_plans: true, plan_table: false, memberships: 0 });
    await grantBiRole(db.pool, role, "another-password");
    const after = await state(role);
    expect(after.rolpassword).not.toEqual(before.rolpassword);
    expect({ ...after, rolpassword: null }).toEqual({ ...before, rolpassword: null });
  });
});

describe("bi grant on the command line", () => {
  /** The CLI with `input` on its standard input and `env` added to its environment. */
  function cli(args: string[], input: string, env: Record<string, string> = {}) {
    return new Promise<{ code: number; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, "bi", "grant", ...args], {
        env: { ...process.env, DATABASE_URL: db.url, ...env },
      });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += String(d)));
      child.on("close", (code) => resolve({ code: code ?? -1, stderr }));
      child.stdin.end(input);
    });
  }

  it("takes the password from standard input or the environment, never two ways at once", async () => {
    const piped = newRole();
    expect(await cli(["--role", piped, "--password-stdin"], "from-standard-input\n")).toMatchObject(
      {
        code: 0,
      },
    );
    expect(await state(piped)).toMatchObject({ bi_plans: true, rolcanlogin: true });
    const fromEnv = newRole();
    expect(
      await cli(["--role", fromEnv], "", { OFFERPLAN_BI_PASSWORD: "from-the-environment" }),
    ).toMatchObject({ code: 0 });
    expect(await state(fromEnv)).toMatchObject({ bi_plans: true });
    const both = await cli(["--role", newRole(), "--password", "on-the-line"], "", {
      OFFERPLAN_BI_PASSWORD: "and-in-env",
    });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("give the password one way");
  });
});

describe("after a migration", () => {
  it("gives this database's BI roles a new view, and no role made for another database", async () => {
    const ours = newRole();
    await grantBiRole(db.pool, ours, "a-long-password");
    // a role bi grant made in another database of the server: same comment, no rights here
    const theirs = newRole();
    await db.pool.query(`CREATE ROLE ${theirs} LOGIN`);
    await db.pool.query(`COMMENT ON ROLE ${theirs} IS '${BI_ROLE_COMMENT.replace(/'/g, "''")}'`);
    await db.pool.query("CREATE VIEW bi.added_by_an_upgrade AS SELECT 1 AS x");
    const client = await db.pool.connect();
    try {
      await refreshBiRights(client);
    } finally {
      client.release();
    }
    const can = async (role: string) =>
      (
        await db.pool.query<{ ok: boolean }>(
          "SELECT has_table_privilege($1, 'bi.added_by_an_upgrade', 'SELECT') AS ok",
          [role],
        )
      ).rows[0]!.ok;
    expect([await can(ours), await can(theirs)]).toEqual([true, false]);
    await db.pool.query("DROP VIEW bi.added_by_an_upgrade");
  });
});
