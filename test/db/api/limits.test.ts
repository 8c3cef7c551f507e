// What one request may cost: the query cost computed with the request's variables before anything
// runs, the rows a request may read while it runs, and how long it may take. Against the real
// server: the largest documented page passes, nested pages of pages are refused whether their
// sizes are literals, variables or spread over aliases.
import {
  startApiServer,
  createApiKeyInDatabase,
  dbId,
  type ApiServer,
} from "../../support/api-server";
import { createTestDatabase, type TestDatabase } from "../../support/db";
import { importDataset } from "../../../src/ingest";
import { failure, generatedDataset, ok, pollPlan, type GeneratedDataset } from "./helpers";

let db: TestDatabase;
let server: ApiServer;
let data: GeneratedDataset;
let admin: string;
let viewer: string;
let planId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  [data, server, { secret: admin }, { secret: viewer }] = await Promise.all([
    generatedDataset(600, 11),
    startApiServer({ databaseUrl: db.url, workers: 1 }),
    createApiKeyInDatabase(db.url, "ADMIN", "limits admin"),
    createApiKeyInDatabase(db.url, "VIEWER", "limits viewer"),
  ]);
  await importDataset(db.pool, data.dir);
  const { createConstraintSet } = ok(
    await server.gql<{ createConstraintSet: { constraintSet: { id: string } } }>(
      `mutation ($input: ConstraintSetInput!) {
        createConstraintSet(input: $input) { constraintSet { id } }
      }`,
      { input: data.constraints },
      admin,
    ),
  );
  planId = ok(
    await server.gql<{ runPlan: { id: string } }>(
      `mutation ($id: ID!) { runPlan(input: { constraintSetId: $id }) { id } }`,
      { id: createConstraintSet.constraintSet.id },
      admin,
    ),
  ).runPlan.id;
  await pollPlan(server, admin, planId);
  planId = String(dbId(planId)); // the partition's name; the API takes the bare key too
});

afterAll(async () => {
  await server?.stop();
  await db?.drop();
  await data?.remove();
});

/** The largest page docs/api.md promises: 1,000 assignments with their customer, offer, channel. */
const DOCUMENTED_PAGE = `query ($id: ID!) {
  plan(id: $id) {
    assignments(first: 1000) {
      edges { node { customer { id: externalId segment } offer { id: externalId name } channel { id: externalId } expectedReturn cost } }
    }
  }
}`;

/** Pages of pages, every size a variable (a literal-only cost rule sees the schema defaults). */
const NESTED_WITH_VARIABLES = `query ($n: Int, $m: Int, $k: Int) {
  plans(first: $n) { edges { node {
    assignments(first: $m) { edges { node {
      customer { assignments(first: $k) { edges { node { expectedReturn offer { id: externalId } } } } }
    } } }
  } } }
}`;

const ALIASED_PAGES = `query ($id: ID!, $m: Int) {
  ${Array.from(
    { length: 8 },
    (_, i) => `a${i}: plan(id: $id) { assignments(first: $m) { edges { node {
      customer { id: externalId assignments(first: $m) { edges { node { expectedReturn } } } }
    } } } }`,
  ).join("\n")}
}`;

describe("query cost, computed with the request's variables", () => {
  it("passes the documented page of 1,000 assignments", async () => {
    const res = await server.gql<{
      plan: { assignments: { edges: { node: { customer: { id: string } } }[] } };
    }>(DOCUMENTED_PAGE, { id: planId }, viewer);
    const { plan } = ok(res);
    expect(plan.assignments.edges.length).toBeGreaterThan(100);
    expect(res.status).toBe(200);
  });

  it("refuses nested pages whose sizes are variables, before running them", async () => {
    const res = await server.gql(NESTED_WITH_VARIABLES, { n: 1000, m: 1000, k: 1000 }, viewer);
    const f = failure(res);
    expect(f.code).toBe("COST_LIMIT_EXCEEDED");
    expect(res.status).toBe(400);
    expect(res.data ?? null).toBeNull();
    // The message names the limit, the figure found and what to change.
    expect(f.message).toMatch(/20,000/);
    expect(f.message).toMatch(/2,002,001,000/);
    expect(f.message).toMatch(/first/);
    expect(f.error.extensions).toMatchObject({ limit: 20_000 });
    expect(f.error.extensions!.cost).toBeGreaterThan(1e9);
    // The same query with small pages is fine.
    ok(await server.gql(NESTED_WITH_VARIABLES, { n: 2, m: 10, k: 5 }, viewer));
  });

  it("refuses the same pages spread over aliases", async () => {
    const res = await server.gql(ALIASED_PAGES, { id: planId, m: 1000 }, viewer);
    expect(failure(res).code).toBe("COST_LIMIT_EXCEEDED");
    expect(res.status).toBe(400);
    ok(await server.gql(ALIASED_PAGES, { id: planId, m: 20 }, viewer));
  });

  it("counts fragments and skips what @skip leaves out", async () => {
    const viaFragment = `query ($id: ID!, $m: Int, $skip: Boolean!) {
      plan(id: $id) { assignments(first: $m) @skip(if: $skip) { edges { node { ...A } } } }
    }
    fragment A on Assignment { customer { assignments(first: $m) { edges { node { cost } } } } }`;
    const refused = await server.gql(viaFragment, { id: planId, m: 1000, skip: false }, viewer);
    expect(failure(refused).code).toBe("COST_LIMIT_EXCEEDED");
    ok(await server.gql(viaFragment, { id: planId, m: 1000, skip: true }, viewer));
  });
});

describe("rows read and time taken, enforced while the request runs", () => {
  let small: ApiServer;
  beforeAll(async () => {
    small = await startApiServer({
      databaseUrl: db.url,
      workers: 0,
      extraArgs: ["--max-rows", "500", "--request-timeout", "2000"],
    });
  });
  afterAll(async () => {
    await small?.stop();
  });

  it("refuses a request reading more rows than --max-rows, naming the limit", async () => {
    const res = await small.gql(DOCUMENTED_PAGE, { id: planId }, viewer);
    const f = failure(res);
    expect(f.code).toBe("ROW_LIMIT_EXCEEDED");
    expect(res.status).toBe(400);
    expect(res.data ?? null).toBeNull();
    expect(f.message).toMatch(/500/);
    expect(f.message).toMatch(/first/);
    expect(res.errors).toHaveLength(1);
    ok(await small.gql(DOCUMENTED_PAGE.replace("1000", "400"), { id: planId }, viewer));
  });

  it("counts rows across sibling pages, however they are split", async () => {
    const twoPages = `query ($id: ID!) {
      a: plan(id: $id) { assignments(first: 300) { edges { node { cost } } } }
      b: plan(id: $id) { assignments(first: 300) { edges { node { cost } } } }
    }`;
    expect(failure(await small.gql(twoPages, { id: planId }, viewer)).code).toBe(
      "ROW_LIMIT_EXCEEDED",
    );
  });

  it("answers REQUEST_TIMEOUT when a query runs past --request-timeout", async () => {
    // pg_sleep is not reachable from GraphQL; a query is held up behind a lock instead: the
    // plan's assignments partition is locked, so the page read waits for it.
    const client = await db.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(`LOCK TABLE plan_assignment_p${planId} IN ACCESS EXCLUSIVE MODE`);
      const started = Date.now();
      const res = await small.gql(
        `query ($id: ID!) { plan(id: $id) { assignments(first: 10) { edges { node { cost } } } } }`,
        { id: planId },
        viewer,
      );
      const ms = Date.now() - started;
      const f = failure(res);
      expect(f.code).toBe("REQUEST_TIMEOUT");
      expect(f.message).toMatch(/2,000 ms/);
      expect(res.status).toBe(503);
      expect(ms).toBeGreaterThanOrEqual(1900);
      expect(ms).toBeLessThan(4000);
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
    // and the server is fine afterwards
    ok(await small.gql(`{ viewer { name } }`, {}, viewer));
  });
});
