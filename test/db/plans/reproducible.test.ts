// A plan is a function of its inputs: one plan asked for four ways — from the CLI on one thread,
// by a cold worker on every core, concurrently with another plan, and by a warm worker right
// after an unrelated what-if — gives one fingerprint. The fingerprint is checked against the stored rows with SQL, and replay
// reproduces it, or refuses once the data it read has changed.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { threadCap } from "../../../src/services/threads";
import {
  createApiKeyInDatabase,
  startApiServer,
  type ApiServer,
  dbId,
} from "../../support/api-server";
import { runCli } from "../../support/cli";
import { createTestDatabase, type TestDatabase } from "../../support/db";
import {
  failure,
  generatedDataset,
  importWithConstraints,
  ok,
  pollPlan,
  type GeneratedDataset,
} from "../api/helpers";

const CUSTOMERS = 20_000;

let db: TestDatabase;
let server: ApiServer;
let data: GeneratedDataset;
let key: string;
let versionId: string;

const cli = (...args: string[]) => runCli(db.url, ...args);

const RUN = `mutation ($input: RunPlanInput!) { runPlan(input: $input) { id } }`;

async function queue(input: Record<string, unknown>): Promise<string> {
  const res = await server.gql<{ runPlan: { id: string } }>(
    RUN,
    { input: { constraintSetVersionId: versionId, seed: 3, clusters: 30, ...input } },
    key,
  );
  return ok(res).runPlan.id;
}

interface Provenance {
  fingerprint: string | null;
  datasetRevision: number | null;
  stale: boolean;
  clusters: number | null;
  dualPasses: number | null;
  solver: string | null;
  threads: number | null;
  softwareVersion: string | null;
}

async function provenance(id: string): Promise<Provenance> {
  const res = await server.gql<{ plan: { provenance: Provenance } }>(
    `query ($id: ID!) { plan(id: $id) { provenance {
       fingerprint datasetRevision stale clusters dualPasses solver threads softwareVersion } } }`,
    { id },
    key,
  );
  return ok(res).plan.provenance;
}

/** The documented fingerprint, recomputed from the stored rows by SQL. */
async function sqlFingerprint(planId: string | number): Promise<string> {
  const { rows } = await db.pool.query<{ f: string }>(
    `SELECT encode(sha256(convert_to(coalesce(string_agg(
              a.customer_id || E'\\t' || o.external_id || E'\\t' || ch.external_id || E'\\t' ||
              coalesce(a.wave, '') || E'\\t' || a."group" || E'\\n', ''
              ORDER BY a.customer_id, o.external_id COLLATE "C", ch.external_id COLLATE "C",
                       a.wave COLLATE "C"), ''), 'UTF8')), 'hex') AS f
     FROM plan_assignment a JOIN offer o ON o.id = a.offer_id JOIN channel ch ON ch.id = a.channel_id
     WHERE a.plan_id = $1`,
    [planId],
  );
  return rows[0]!.f;
}

beforeAll(async () => {
  db = await createTestDatabase();
  [data, server, { secret: key }] = await Promise.all([
    generatedDataset(CUSTOMERS, 31),
    startApiServer({ databaseUrl: db.url, workers: 2 }),
    createApiKeyInDatabase(db.url, "ADMIN", "reproducible"),
  ]);
  // the bare key: the API takes it, and so do the CLI and SQL
  versionId = String(dbId(await importWithConstraints(server, key, data)));
});

afterAll(async () => {
  await server?.stop();
  await db?.drop();
  await data?.remove();
});

describe("a plan is a function of its inputs", () => {
  it.each(["CLUSTER_LP", "EXACT"])(
    "%s: CLI, cold worker, concurrent and warm worker give one fingerprint",
    async (method) => {
      // the CLI, in its own process
      const viaCli = await cli(
        "plan",
        "run",
        "--constraints",
        versionId,
        "--method",
        method === "EXACT" ? "exact" : "cluster-lp",
        "--seed",
        "3",
        "--clusters",
        "30",
        "--threads",
        "1",
        "--json",
      );
      expect(viaCli.stderr).not.toMatch(/Error/);
      expect(viaCli.code).toBe(0);
      const cliPlan = JSON.parse(viaCli.stdout) as {
        id: number;
        provenance: { fingerprint: string };
      };
      const fingerprint = cliPlan.provenance.fingerprint;
      expect((await provenance(String(cliPlan.id))).threads).toBe(1);
      expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(await sqlFingerprint(cliPlan.id)).toBe(fingerprint);

      // a worker (cold for the first method: nothing has run on this server yet)
      const first = await queue({ method });
      await pollPlan(server, key, first);
      // beside an unrelated what-if on the other worker
      const [whatIf, beside] = await Promise.all([
        queue({ method, overrides: { budget: data.constraints.budget * 0.8 }, seed: 5 }),
        queue({ method }),
      ]);
      await Promise.all([pollPlan(server, key, whatIf), pollPlan(server, key, beside)]);
      // right after it, on workers that hold the instance and just ran the what-if
      const warm = await queue({ method });
      await pollPlan(server, key, warm);

      for (const id of [first, beside, warm]) {
        const p = await provenance(id);
        expect({ id, fingerprint: p.fingerprint }).toEqual({ id, fingerprint });
        expect(p.stale).toBe(false);
        // the workers' default: every core (this machine has at least two)
        expect(p.threads).toBe(threadCap());
        expect(p.threads).toBeGreaterThan(1);
        expect(p.softwareVersion).toMatch(/^\d+\.\d+\.\d+/);
        expect(p.dualPasses).toBeGreaterThan(0);
        if (method === "CLUSTER_LP") {
          expect(p.clusters).toBeGreaterThanOrEqual(30);
          expect(p.solver).toBe("highs");
        }
      }
      // the what-if is really a different plan
      expect((await provenance(whatIf)).fingerprint).not.toBe(fingerprint);
    },
  );

  it("threads outside 1 … the cap are refused at their field, and nothing is written", async () => {
    const plans = async () =>
      Number((await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM plan")).rows[0]!.n);
    const versions = async () =>
      Number(
        (await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM constraint_set_version"))
          .rows[0]!.n,
      );
    const before = [await plans(), await versions()];
    const cap = threadCap();
    for (const threads of [0, cap + 1, 10000]) {
      const res = failure(
        await server.gql(
          RUN,
          { input: { constraintSetVersionId: versionId, method: "EXACT", threads } },
          key,
        ),
      );
      expect(res.code).toBe("BAD_USER_INPUT");
      expect(res.field).toBe("input.threads");
      expect(res.message).toBe(
        `input.threads: must be a whole number from 1 to ${cap} (this machine's cores, or ` +
          `OFFERPLAN_MAX_THREADS); got ${threads}`,
      );
    }
    // the CLI refuses before it saves a constraints file as a version
    const file = path.join(data.dir, "constraints.json");
    for (const threads of ["0", "10000"]) {
      const res = await cli("plan", "run", "--constraints", file, "--threads", threads);
      expect(res.code).toBe(2);
      expect(res.stderr).toContain(
        `--threads: must be a whole number from 1 to ${cap} (this machine's cores, or OFFERPLAN_MAX_THREADS); got ${threads}`,
      );
    }
    expect([await plans(), await versions()]).toEqual(before);
  });

  it("a warm start is an input: named, recorded, and the same every time", async () => {
    const source = await queue({ method: "CLUSTER_LP" });
    await pollPlan(server, key, source);
    const budget = data.constraints.budget * 1.1;
    const runs = [];
    for (let i = 0; i < 2; i++) {
      const id = await queue({
        method: "CLUSTER_LP",
        overrides: { budget },
        warmStartFrom: source,
      });
      await pollPlan(server, key, id);
      runs.push(id);
    }
    const res = ok(
      await server.gql<{
        plan: {
          parameters: { warmStartFrom: string };
          provenance: { warmStartFrom: { id: string }; fingerprint: string };
        };
      }>(
        `query ($id: ID!) { plan(id: $id) { parameters { warmStartFrom }
           provenance { fingerprint warmStartFrom { id } } } }`,
        { id: runs[0] },
        key,
      ),
    );
    expect(res.plan.parameters.warmStartFrom).toBe(source);
    expect(res.plan.provenance.warmStartFrom.id).toBe(source);
    expect((await provenance(runs[1]!)).fingerprint).toBe(res.plan.provenance.fingerprint);
    // a warm start from a plan that did not succeed, or from nothing, is refused at once
    const bad = await server.gql(
      RUN,
      { input: { constraintSetVersionId: versionId, warmStartFrom: "999999" } },
      key,
    );
    expect(failure(bad).code).toBe("NOT_FOUND");
  });
});

describe("replay", () => {
  const REPLAY = `mutation ($id: ID!) { replayPlan(id: $id) { id } }`;

  it("re-runs a plan from its recorded inputs and says the fingerprint matches", async () => {
    const id = await queue({ method: "EXACT", controlShare: 0.1 });
    await pollPlan(server, key, id);
    const replay = ok(await server.gql<{ replayPlan: { id: string } }>(REPLAY, { id }, key))
      .replayPlan.id;
    await pollPlan(server, key, replay);
    const res = ok(
      await server.gql<{ plan: { replayOf: { id: string }; replayMatches: boolean } }>(
        `query ($id: ID!) { plan(id: $id) { replayOf { id } replayMatches } }`,
        { id: replay },
        key,
      ),
    );
    expect(res.plan).toEqual({ replayOf: { id }, replayMatches: true });
    // the CLI's replay of the same plan matches too
    const viaCli = await cli("plan", "replay", "--plan", String(dbId(id)), "--json");
    expect(viaCli.code).toBe(0);
    expect(JSON.parse(viaCli.stdout)).toMatchObject({ plan: dbId(id), matches: true });
  });

  it("refuses bad input with its code and writes nothing", async () => {
    const count = async () =>
      Number((await db.pool.query("SELECT count(*) FROM plan")).rows[0].count);
    const before = await count();
    expect(failure(await server.gql(REPLAY, { id: "987654" }, key)).code).toBe("NOT_FOUND");
    expect(failure(await server.gql(REPLAY, { id: "x1" }, key)).code).toBe("BAD_USER_INPUT");
    const failed = await db.pool.query<{ id: number }>(
      `INSERT INTO plan (version_number, constraint_set_version_id, status, method, error)
       VALUES (9999, $1, 'FAILED', 'EXACT', 'test') RETURNING id`,
      [versionId],
    );
    const failedId = String(failed.rows[0]!.id);
    const conflict = failure(await server.gql(REPLAY, { id: failedId }, key));
    expect(conflict.code).toBe("CONFLICT");
    expect(conflict.message).toMatch(/FAILED/);
    expect(await count()).toBe(before + 1); // only the row inserted above
    const viaCli = await cli("plan", "replay", "--plan", failedId);
    expect(viaCli.code).toBe(1);
    expect(viaCli.stderr).toMatch(/only a SUCCEEDED plan can be replayed/);
  });

  it("refuses a plan whose dataset has changed since, saying so; the plan shows as stale", async () => {
    const id = await queue({ method: "GREEDY" });
    await pollPlan(server, key, id);
    expect((await provenance(id)).stale).toBe(false);
    const { rows } = await db.pool.query<{ revision: string }>(
      "SELECT revision::text FROM data_revision WHERE kind = 'dataset'",
    );
    // re-importing the same files changes nothing and keeps the revision
    const IMPORT = `mutation ($dir: String!) { importDataset(dir: $dir) { changed } }`;
    ok(await server.gql(IMPORT, { dir: data.dir }, key));
    expect((await provenance(id)).stale).toBe(false);
    // a re-import that changes one score's value moves it on
    const file = path.join(data.dir, "scores.csv");
    const lines = (await readFile(file, "utf8")).split("\n");
    const header = lines[0]!.split(",");
    const cells = lines[1]!.split(",");
    const v = header.indexOf("value");
    cells[v] = String(Number(cells[v]) + 1);
    lines[1] = cells.join(",");
    await writeFile(file, lines.join("\n"));
    ok(await server.gql(IMPORT, { dir: data.dir }, key));
    const p = await provenance(id);
    expect(p.datasetRevision).toBe(Number(rows[0]!.revision));
    expect(p.stale).toBe(true);
    const refused = failure(await server.gql(REPLAY, { id }, key));
    expect(refused.code).toBe("CONFLICT");
    expect(refused.message).toMatch(
      new RegExp(
        `dataset revision ${rows[0]!.revision} and the data is now at revision ${Number(rows[0]!.revision) + 1}`,
      ),
    );
    const viaCli = await cli("plan", "replay", "--plan", String(dbId(id)));
    expect(viaCli.code).toBe(1);
    expect(viaCli.stderr).toMatch(/cannot be replayed: it read dataset revision/);
  });
});
