// Who may do what, what a bad request gets back, and what the HTTP edge does with health checks,
// oversized bodies and over-deep queries: against the real server process. Every rejected
// mutation is checked to have written nothing, and no error body leaks internals.
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { importDataset } from "../../../src/ingest";
import {
  createApiKeyInDatabase,
  startApiServer,
  type ApiServer,
  type GqlResponse,
} from "../../support/api-server";
import { createTestDatabase, type TestDatabase } from "../../support/db";
import {
  failure,
  generatedDataset,
  mutationCounts,
  ok,
  pollPlan,
  type GeneratedDataset,
} from "./helpers";

let db: TestDatabase;
let server: ApiServer;
let data: GeneratedDataset;
const keys: Record<"admin" | "analyst" | "viewer", string> = { admin: "", analyst: "", viewer: "" };
let setId: string;
let versionId: string;
let finishedPlanId: string;
/** every response body of the file, checked at the end for leaked internals */
const bodies: string[] = [];

/** a plan started in beforeAll, finished by the time a test needs it */
let backgroundPlanId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  [data, server, { secret: keys.admin }] = await Promise.all([
    generatedDataset(600, 9),
    startApiServer({ databaseUrl: db.url, workers: 2 }),
    createApiKeyInDatabase(db.url, "ADMIN", "access admin"),
  ]);
  await importDataset(db.pool, data.dir);
  for (const role of ["ANALYST", "VIEWER"] as const) {
    const { createApiKey } = ok(
      await server.gql<{ createApiKey: { secret: string; apiKey: { role: string } } }>(
        `mutation ($role: Role!, $name: String!) {
          createApiKey(name: $name, role: $role) { secret apiKey { role } }
        }`,
        { role, name: role.toLowerCase() },
        keys.admin,
      ),
    );
    expect(createApiKey.apiKey.role).toBe(role);
    keys[role === "ANALYST" ? "analyst" : "viewer"] = createApiKey.secret;
  }
  const { createConstraintSet } = ok(
    await server.gql<{
      createConstraintSet: { constraintSet: { id: string }; version: { id: string } };
    }>(
      `mutation ($input: ConstraintSetInput!) {
        createConstraintSet(input: $input) { constraintSet { id } version { id } }
      }`,
      { input: data.constraints },
      keys.admin,
    ),
  );
  setId = createConstraintSet.constraintSet.id;
  versionId = createConstraintSet.version.id;
  backgroundPlanId = ok(
    await server.gql<{ runPlan: { id: string } }>(
      `mutation ($id: ID!) { runPlan(input: { constraintSetId: $id }) { id } }`,
      { id: setId },
      keys.admin,
    ),
  ).runPlan.id;
});

afterAll(async () => {
  await server?.stop();
  await db?.drop();
  await data?.remove();
});

async function call<T = Record<string, unknown>>(
  query: string,
  variables: Record<string, unknown> = {},
  /** null: no Authorization header */
  key: string | null = keys.admin,
): Promise<GqlResponse<T>> {
  const res = await server.gql<T>(query, variables, key ?? undefined);
  bodies.push(res.raw);
  return res;
}

const RUN = `mutation ($input: RunPlanInput!) { runPlan(input: $input) { id status } }`;
const CANCEL = `mutation ($id: ID!) { cancelPlan(id: $id) { id status } }`;
const CREATE_SET = `mutation ($input: ConstraintSetInput!) {
  createConstraintSet(input: $input) { created version { version } }
}`;
const IMPORT = `mutation ($dir: String!) { importDataset(dir: $dir) { changed } }`;
const CREATE_KEY = `mutation { createApiKey(name: "x", role: ADMIN) { secret } }`;

/** Waits (at most 10 s) until no job is being run or removed. */
async function jobsSettled(): Promise<void> {
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    const { rows } = await db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE locked_at IS NOT NULL OR key IS NULL",
    );
    if (rows[0]!.n === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("a job was still running or being removed after 10 s");
}

/** Runs `act` and checks that the tables mutations write are unchanged by it. */
async function writesNothing<T>(act: () => Promise<T>): Promise<T> {
  const before = await mutationCounts(db.pool);
  const out = await act();
  expect(await mutationCounts(db.pool)).toEqual(before);
  return out;
}

describe("roles", () => {
  it("a VIEWER reads but cannot run plans or edit constraint sets", async () => {
    const viewer = ok(
      await call<{ viewer: { role: string } }>(`{ viewer { name role } }`, {}, keys.viewer),
    );
    expect(viewer.viewer.role).toBe("VIEWER");
    const { constraintSet } = ok(
      await call<{ constraintSet: { id: string } }>(
        `query ($id: ID!) { constraintSet(id: $id) { id } }`,
        { id: setId },
        keys.viewer,
      ),
    );
    expect(constraintSet.id).toBe(setId);

    await writesNothing(async () => {
      const run = await call(RUN, { input: { constraintSetId: setId } }, keys.viewer);
      expect(failure(run).code).toBe("FORBIDDEN");
      expect(run.data).toBeNull();
      const create = await call(CREATE_SET, { input: data.constraints }, keys.viewer);
      expect(failure(create).code).toBe("FORBIDDEN");
    });
  });

  it("an ANALYST runs and cancels plans but cannot edit sets, import or manage keys", async () => {
    const { runPlan } = ok(
      await call<{ runPlan: { id: string; status: string } }>(
        RUN,
        { input: { constraintSetVersionId: versionId } },
        keys.analyst,
      ),
    );
    expect(runPlan.status).toBe("QUEUED");
    // The tiny plan may already be over; either way the analyst was allowed to ask.
    const cancel = await call<{ cancelPlan: { status: string } }>(
      CANCEL,
      { id: runPlan.id },
      keys.analyst,
    );
    if (cancel.errors) expect(failure(cancel).code).toBe("CONFLICT");
    else expect(cancel.data!.cancelPlan.status).toBe("CANCELLED");
    // A plan cancelled while its worker runs it keeps its job (its key cleared) until the worker
    // stops, a moment later; the count below must not see that happen.
    await jobsSettled();

    await writesNothing(async () => {
      for (const [query, variables] of [
        [CREATE_SET, { input: data.constraints }],
        [IMPORT, { dir: data.dir }],
        [CREATE_KEY, {}],
        [`query { apiKeys { id } }`, {}],
      ] as const) {
        const res = await call(query, variables, keys.analyst);
        expect(failure(res).code).toBe("FORBIDDEN");
      }
    });
  });

  it("no key or an unknown key is UNAUTHENTICATED with HTTP 401", async () => {
    for (const key of [null, "op_not-a-real-key", ""]) {
      const res = await call(`{ viewer { name } }`, {}, key);
      expect(res.status).toBe(401);
      expect(failure(res).code).toBe("UNAUTHENTICATED");
      expect(res.data ?? null).toBeNull();
    }
    const res = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Basic ${keys.admin}` },
      body: JSON.stringify({ query: "{ viewer { name } }" }),
    });
    expect(res.status).toBe(401);
  });

  it("a revoked key stops working at once", async () => {
    const { createApiKey } = ok(
      await call<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
        `mutation { createApiKey(name: "short-lived", role: VIEWER) { secret apiKey { id } } }`,
      ),
    );
    const secret = createApiKey.secret;
    ok(await call(`{ viewer { name } }`, {}, secret));
    const { revokeApiKey } = ok(
      await call<{ revokeApiKey: { revokedAt: string | null } }>(
        `mutation ($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`,
        { id: createApiKey.apiKey.id },
      ),
    );
    expect(revokeApiKey.revokedAt).not.toBeNull();
    const res = await call(`{ viewer { name } }`, {}, secret);
    expect(res.status).toBe(401);
    expect(failure(res).code).toBe("UNAUTHENTICATED");
    // ... and stays revoked
    expect((await call(`{ viewer { name } }`, {}, secret)).status).toBe(401);
  });
});

describe("bad input: a code, the field at fault, and nothing written", () => {
  const cases: [string, () => Record<string, unknown>, string][] = [
    ["a negative budget", () => ({ ...data.constraints, budget: -1 }), "input.budget"],
    [
      "a duplicate offerVolumes offerId",
      () => ({
        ...data.constraints,
        offerVolumes: [
          { offerId: "inv_gic", min: 1 },
          { offerId: "inv_gic", max: 50 },
        ],
      }),
      "input.offerVolumes.1.offerId",
    ],
    [
      "an unknown channel in channelCapacities",
      () => ({
        ...data.constraints,
        channelCapacities: [{ channelId: "carrier_pigeon", capacity: 5 }],
      }),
      "input.channelCapacities.0.channelId",
    ],
    [
      "a minShare over 1",
      () => ({
        ...data.constraints,
        segmentRules: [{ segment: "mass", offerId: "inv_gic", minShare: 1.5 }],
      }),
      "input.segmentRules.0.minShare",
    ],
  ];
  it.each(cases)("createConstraintSet with %s", async (_name, input, field) => {
    const res = await writesNothing(() => call(CREATE_SET, { input: input() }));
    expect(failure(res)).toMatchObject({ code: "BAD_USER_INPUT", field });
    // the same input is as wrong in a revision
    const revised = await writesNothing(() =>
      call(
        `mutation ($id: ID!, $input: ConstraintSetInput!) {
          reviseConstraintSet(id: $id, input: $input) { created }
        }`,
        { id: setId, input: input() },
      ),
    );
    expect(failure(revised)).toMatchObject({ code: "BAD_USER_INPUT", field });
  });

  it("runPlan needs exactly one of constraintSetId and constraintSetVersionId", async () => {
    for (const input of [{}, { constraintSetId: setId, constraintSetVersionId: versionId }]) {
      const res = await writesNothing(() => call(RUN, { input }, keys.analyst));
      expect(failure(res)).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "input.constraintSetId",
      });
    }
    const badId = await writesNothing(() =>
      call(RUN, { input: { constraintSetId: "abc" } }, keys.analyst),
    );
    expect(failure(badId)).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.constraintSetId",
    });
    const clusters = await writesNothing(() =>
      call(RUN, { input: { constraintSetId: setId, clusters: 0 } }, keys.analyst),
    );
    expect(failure(clusters)).toMatchObject({ code: "BAD_USER_INPUT", field: "input.clusters" });
  });

  it("unknown ids are NOT_FOUND (or null where the schema says so)", async () => {
    await writesNothing(async () => {
      expect(failure(await call(RUN, { input: { constraintSetId: "999999" } })).code).toBe(
        "NOT_FOUND",
      );
      expect(failure(await call(RUN, { input: { constraintSetVersionId: "999999" } })).code).toBe(
        "NOT_FOUND",
      );
      expect(failure(await call(CANCEL, { id: "999999" })).code).toBe("NOT_FOUND");
      expect(
        failure(await call(`{ comparePlans(a: "999998", b: "999999") { changedCustomerCount } }`))
          .code,
      ).toBe("NOT_FOUND");
    });
    const res = await call<{ plan: null }>(`{ plan(id: "999999") { id } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ plan: null });
  });

  it("cancelling a finished plan is a CONFLICT and changes nothing", async () => {
    await pollPlan(server, keys.admin, backgroundPlanId);
    finishedPlanId = backgroundPlanId;
    const res = await writesNothing(() => call(CANCEL, { id: finishedPlanId }, keys.analyst));
    expect(failure(res).code).toBe("CONFLICT");
    const { plan } = ok(
      await call<{ plan: { status: string } }>(`query ($id: ID!) { plan(id: $id) { status } }`, {
        id: finishedPlanId,
      }),
    );
    expect(plan.status).toBe("SUCCEEDED");
  });

  it("a cursor that is not from the list is INVALID_CURSOR on its argument", async () => {
    for (const after of ["garbage", Buffer.from('["x",1]').toString("base64url")]) {
      const res = await call(
        `query ($id: ID!, $after: String) { plan(id: $id) { assignments(first: 5, after: $after) { totalCount } } }`,
        { id: finishedPlanId, after },
      );
      expect(failure(res)).toMatchObject({ code: "INVALID_CURSOR", field: "after" });
    }
    const plans = await call(`{ plans(last: 1, before: "garbage") { totalCount } }`);
    expect(failure(plans)).toMatchObject({ code: "INVALID_CURSOR", field: "before" });
  });

  it("a cursor of another orderBy is INVALID_CURSOR, saying which order it came from", async () => {
    const page = (orderBy: string, after: string | null) =>
      call<{ plan: { assignments: { pageInfo: { endCursor: string } } } }>(
        `query ($id: ID!, $after: String) { plan(id: $id) {
          assignments(first: 2, after: $after, orderBy: ${orderBy}) { pageInfo { endCursor } } } }`,
        { id: finishedPlanId, after },
      );
    const byReturn = "{ field: EXPECTED_RETURN, direction: DESC }";
    const cursor = ok(await page(byReturn, null)).plan.assignments.pageInfo.endCursor;
    expect(ok(await page(byReturn, cursor)).plan.assignments.pageInfo.endCursor).not.toBe(cursor);
    const refused = failure(await page("{ field: CUSTOMER, direction: ASC }", cursor));
    expect(refused).toMatchObject({ code: "INVALID_CURSOR", field: "after" });
    expect(refused.message).toBe(
      "after: is a cursor of the order EXPECTED_RETURN:DESC, not of CUSTOMER:ASC: page from the start again",
    );
  });

  it.each([
    ["first: -1", "first", "first: must be a whole number from 0 to 1000"],
    ["first: 2, last: 2", "last", "last: give first or last, not both"],
    [
      'first: 2, before: "x"',
      "before",
      "before: pages backward: give it with last (after goes with first)",
    ],
  ])("plans(%s) is BAD_USER_INPUT on %s", async (args, field, message) => {
    const res = failure(await call(`{ plans(${args}) { totalCount } }`));
    expect(res).toMatchObject({ code: "BAD_USER_INPUT", field, message });
  });

  it("a malformed global id is BAD_USER_INPUT naming the id; another type's id too", async () => {
    const bad = failure(await call(`{ node(id: "Plan42") { id } }`));
    expect(bad).toMatchObject({ code: "BAD_USER_INPUT", field: "id" });
    expect(bad.message).toContain('id: "Plan42" is not a global id: expected <type>:<key>');
    const many = failure(await call(`{ nodes(ids: ["Plan:1", "Nope:1"]) { id } }`));
    expect(many).toMatchObject({ code: "BAD_USER_INPUT", field: "ids.1" });
    const wrongType = failure(await call(`{ plan(id: "Analysis:1") { id } }`));
    expect(wrongType).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "id",
      message: 'id: "Analysis:1" is the id of an object of type Analysis, not Plan',
    });
  });

  it("an unknown orderBy field is a validation error", async () => {
    const res = failure(
      await call(`{ plans(orderBy: { field: NAME, direction: ASC }) { totalCount } }`),
    );
    expect(res.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(res.message).toContain('Value "NAME" does not exist in "PlanOrderField" enum');
  });

  it("importDataset of a directory with a bad CSV lists file:line problems and imports nothing", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "offerplan-api-bad-"));
    try {
      await cp(data.dir, dir, { recursive: true });
      // Changed rows, so that a partial import would show in the counts.
      const scores = (await readFile(path.join(dir, "scores.csv"), "utf8")).split("\n");
      const cells = scores[4]!.split(",");
      cells[3] = "1.5"; // probability
      scores[4] = cells.join(",");
      scores.push("C9999999,inv_gic,,0.5,10,");
      await writeFile(path.join(dir, "scores.csv"), scores.join("\n") + "\n");
      const customers = await readFile(path.join(dir, "customers.csv"), "utf8");
      await writeFile(
        path.join(dir, "customers.csv"),
        customers.replace(/\n$/, "") + "\nC0000601,new,false,35-44,3,H1\n",
      );
      const res = await writesNothing(() => call(IMPORT, { dir }));
      const f = failure(res);
      expect(f).toMatchObject({ code: "BAD_USER_INPUT", field: "dir" });
      const problems = f.error.extensions!.problems as {
        file: string;
        line: number;
        column: string | null;
        message: string;
      }[];
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ file: "scores.csv", line: 5, column: "probability" }),
        ]),
      );
      expect(f.error.extensions!.total).toBe(problems.length);
      expect(f.message).toContain("scores.csv:5");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("the HTTP edge", () => {
  it("GET /healthz and /readyz answer 200", async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
  });

  it("a body over the limit is 413 with a JSON error", async () => {
    const res = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${keys.admin}` },
      body: JSON.stringify({
        query: `{ viewer { name } }`,
        variables: { pad: "x".repeat(1_100_000) },
      }),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    const raw = await res.text();
    bodies.push(raw);
    const body = JSON.parse(raw) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("malformed JSON is 400 with a JSON error", async () => {
    const res = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${keys.admin}` },
      body: `{"query": "{ viewer { name } }"`,
    });
    expect(res.status).toBe(400);
    const raw = await res.text();
    bodies.push(raw);
    expect((JSON.parse(raw) as { errors: unknown[] }).errors).toHaveLength(1);
  });

  it("a query deeper than the limit is rejected in validation, before it runs", async () => {
    // plan → constraintSetVersion → constraintSet → latestVersion → constraintSet → … past 10
    let inner = "id";
    for (let i = 0; i < 6; i++) inner = `constraintSet { latestVersion { ${inner} } }`;
    const res = await call(`{ plans { edges { node { constraintSetVersion { ${inner} } } } } }`);
    const f = failure(res);
    expect(f.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(f.message).toMatch(/depth/i);
    expect(res.status).toBe(400);
    expect(res.data ?? null).toBeNull();
  });

  it("more aliases than the limit are rejected in validation", async () => {
    const fields = Array.from({ length: 21 }, (_, i) => `v${i}: viewer { name }`).join(" ");
    const res = await call(`{ ${fields} }`);
    const f = failure(res);
    expect(f.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(f.message).toMatch(/alias/i);
    expect(res.status).toBe(400);
  });

  it("an unknown field is a validation error; a wrong variable type is BAD_USER_INPUT", async () => {
    expect(failure(await call(`{ nope }`)).code).toBe("GRAPHQL_VALIDATION_FAILED");
    const res = await call(RUN, { input: { constraintSetId: setId, seed: "one" } });
    expect(failure(res).code).toBe("BAD_USER_INPUT");
  });

  it("no error body carries a stack trace or SQL", () => {
    const errorBodies = bodies.filter((b) => b.includes('"errors"'));
    expect(errorBodies.length).toBeGreaterThan(20);
    for (const b of errorBodies) {
      expect(b).not.toMatch(/stacktrace/i);
      expect(b).not.toMatch(/\bat .+\(.+:\d+:\d+\)|\bat .+\.(ts|js):\d+/);
      expect(b).not.toMatch(
        /\b(SELECT|INSERT INTO|UPDATE|DELETE FROM)\b.+\b(FROM|SET|VALUES|WHERE)\b/i,
      );
      expect(b).not.toMatch(/node_modules|\/work\/|prisma/i);
    }
  });
});
