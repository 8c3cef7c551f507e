// Live progress over WebSocket: a real graphql-ws client against the real server process. The
// server runs no workers of its own, so each plan stays QUEUED until the test starts a separate
// `offerplan worker` process or writes the plan's row from a connection of its own: either way
// the change reaches the subscriber only through PostgreSQL's NOTIFY.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createClient, type Client, type FormattedExecutionResult } from "graphql-ws";
import { Client as PgClient } from "pg";
import WebSocket from "ws";
import {
  createApiKeyInDatabase,
  dbId,
  startApiServer,
  type ApiServer,
} from "../../support/api-server";
import { createTestDatabase, type TestDatabase } from "../../support/db";
import { failure, generatedDataset, ok, planKpis, type GeneratedDataset } from "./helpers";

const BIN = path.join(__dirname, "..", "..", "..", "bin", "offerplan.js");
// The worker stops this long before it writes the plan, so the RUNNING state is on the database
// for a second at least: far longer than a notification takes to reach the subscriber.
const PAUSE_BEFORE_WRITE_MS = 1000;

let db: TestDatabase;
let server: ApiServer;
let data: GeneratedDataset;
const keys = { admin: "", viewer: "" };
let setId: string;
/** the first test's plan, SUCCEEDED */
let finishedPlanId: string;
const clients: Client[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  let admin, viewer;
  [data, server, admin, viewer] = await Promise.all([
    generatedDataset(2_000, 17),
    // a cost limit low enough to refuse a page of assignments, high enough for everything else
    startApiServer({ databaseUrl: db.url, workers: 0, extraArgs: ["--max-cost", "500"] }),
    createApiKeyInDatabase(db.url, "ADMIN", "subscriptions admin"),
    createApiKeyInDatabase(db.url, "VIEWER", "subscriptions viewer"),
  ]);
  keys.admin = admin.secret;
  keys.viewer = viewer.secret;
  ok(
    await server.gql(
      `mutation ($dir: String!) { importDataset(dir: $dir) { changed } }`,
      { dir: data.dir },
      keys.admin,
    ),
  );
  setId = ok(
    await server.gql<{ createConstraintSet: { constraintSet: { id: string } } }>(
      `mutation ($input: ConstraintSetInput!) {
        createConstraintSet(input: $input) { constraintSet { id } } }`,
      { input: data.constraints },
      keys.admin,
    ),
  ).createConstraintSet.constraintSet.id;
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await server?.stop();
  await db?.drop();
  await data?.remove();
});

function connect(authorization: string | undefined): Client {
  const client = createClient({
    url: `ws://127.0.0.1:${server.port}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: authorization === undefined ? {} : { authorization },
    retryAttempts: 0,
    lazy: true,
  });
  clients.push(client);
  return client;
}

interface Outcome<T> {
  results: FormattedExecutionResult<T, unknown>[];
  /** how it ended: completed, or an error (a CloseEvent, or GraphQL errors) */
  end: { completed: true } | { error: unknown };
}

/** Everything one subscription sends until it ends; `onResult` sees each result as it comes. */
function subscribe<T>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  onResult: (r: FormattedExecutionResult<T, unknown>) => void = () => undefined,
): Promise<Outcome<T>> {
  const results: FormattedExecutionResult<T, unknown>[] = [];
  return new Promise((resolve) => {
    client.subscribe<T>(
      { query, variables },
      {
        next: (r) => {
          results.push(r);
          onResult(r);
        },
        error: (error) => resolve({ results, end: { error } }),
        complete: () => resolve({ results, end: { completed: true } }),
      },
    );
  });
}

interface PlanEvent {
  planUpdated: { id: string; status: string; phase: string | null; progress: number };
}
const PLAN_UPDATED = `subscription ($id: ID!) {
  planUpdated(id: $id) { id status phase progress }
}`;

async function queuedPlan(seed: number): Promise<string> {
  const { runPlan } = ok(
    await server.gql<{ runPlan: { id: string; status: string } }>(
      `mutation ($id: ID!, $seed: Int!) {
        runPlan(input: { constraintSetId: $id, seed: $seed }) { id status }
      }`,
      { id: setId, seed },
      keys.admin,
    ),
  );
  expect(runPlan.status).toBe("QUEUED");
  return runPlan.id;
}

function startWorker(): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, "worker"], {
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      OFFERPLAN_TEST_PAUSE_PHASES: "write",
      OFFERPLAN_TEST_PAUSE_MS: String(PAUSE_BEFORE_WRITE_MS),
    },
    stdio: "ignore",
  });
  return { child, exited: new Promise((r) => child.once("exit", (code) => r(code))) };
}

const closeCode = (end: Outcome<unknown>["end"]) =>
  "error" in end && end.error instanceof Object && "code" in end.error ? end.error.code : end;

describe("planUpdated", () => {
  it("follows a plan run by a worker process from QUEUED to SUCCEEDED, then completes", async () => {
    const id = await queuedPlan(1);
    const client = connect(`Bearer ${keys.viewer}`);
    let worker: ReturnType<typeof startWorker> | null = null;
    const outcome = subscribe<PlanEvent & { planUpdated: { kpis: { contacts: number } | null } }>(
      client,
      `subscription ($id: ID!) {
        planUpdated(id: $id) { id status phase progress kpis { contacts } }
      }`,
      { id },
      // the worker starts once the subscriber has the plan's first state
      () => (worker ??= startWorker()),
    );
    const { results, end } = await outcome;
    worker!.child.kill("SIGTERM");
    expect(await worker!.exited).toBe(0);

    expect(end).toEqual({ completed: true });
    expect(results.every((r) => r.errors === undefined)).toBe(true);
    const states = results.map((r) => r.data!.planUpdated);
    expect(states.every((s) => s.id === id)).toBe(true);
    expect(states[0]).toMatchObject({ status: "QUEUED", phase: null, progress: 0 });
    const running = states.filter((s) => s.status === "RUNNING");
    expect(running.length).toBeGreaterThanOrEqual(1);
    for (const s of running) {
      expect(s.phase).not.toBeNull();
      expect(s.progress).toBeGreaterThanOrEqual(0);
      expect(s.progress).toBeLessThan(1);
    }
    const progress = states.map((s) => s.progress).slice(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(states.map((s) => s.status)).toEqual([
      "QUEUED",
      ...running.map(() => "RUNNING"),
      "SUCCEEDED",
    ]);
    const last = results.at(-1)!.data!.planUpdated;
    expect(last).toMatchObject({ status: "SUCCEEDED", phase: "DONE", progress: 1 });
    expect(last.kpis!.contacts).toBe((await planKpis(server, keys.admin, id)).contacts);
    finishedPlanId = id;
  });

  it("sends a finished plan's state once and completes", async () => {
    const { results, end } = await subscribe<PlanEvent>(
      connect(`Bearer ${keys.viewer}`),
      PLAN_UPDATED,
      {
        id: finishedPlanId,
      },
    );
    expect(end).toEqual({ completed: true });
    expect(results).toEqual([
      {
        data: {
          planUpdated: { id: finishedPlanId, status: "SUCCEEDED", phase: "DONE", progress: 1 },
        },
      },
    ]);
  });

  it("hears changes written by another database connection, and ends on CANCELLED", async () => {
    const id = await queuedPlan(2);
    const writer = new PgClient({ connectionString: db.url });
    await writer.connect();
    try {
      // one write per event received, so that no two are folded into one read
      const writes = [
        "UPDATE plan SET status = 'RUNNING', phase = 'cluster_lp', progress = 0.5 WHERE id = $1",
        "UPDATE plan SET status = 'CANCELLED', phase = NULL, progress = 0 WHERE id = $1",
      ];
      // The last write's NOTIFY can reach the subscriber before the writer's own client has read
      // the end of its answer: awaited before the client is closed, or the close fails it.
      const written: Promise<unknown>[] = [];
      const { results, end } = await subscribe<PlanEvent>(
        connect(`Bearer ${keys.admin}`),
        PLAN_UPDATED,
        { id },
        () => {
          const sql = writes.shift();
          if (sql) written.push(writer.query(sql, [dbId(id)]));
        },
      );
      await Promise.all(written);
      expect(end).toEqual({ completed: true });
      expect(results.map((r) => r.data!.planUpdated)).toEqual([
        { id, status: "QUEUED", phase: null, progress: 0 },
        { id, status: "RUNNING", phase: "CLUSTER_LP", progress: 0.5 },
        { id, status: "CANCELLED", phase: null, progress: 0 },
      ]);
    } finally {
      await writer.end();
    }
  });

  it("answers NOT_FOUND for an unknown plan and BAD_USER_INPUT for a malformed id", async () => {
    const client = connect(`Bearer ${keys.viewer}`);
    const unknown = await subscribe(client, PLAN_UPDATED, { id: "999999" });
    expect(unknown.end).toEqual({ completed: true });
    expect(unknown.results).toEqual([
      {
        errors: [
          expect.objectContaining({
            message: "there is no plan with id 999999",
            extensions: { code: "NOT_FOUND" },
          }),
        ],
      },
    ]);
    const malformed = await subscribe(client, PLAN_UPDATED, { id: "abc" });
    expect(malformed.results[0]!.errors).toEqual([
      expect.objectContaining({
        message: 'id: "abc" is not a Plan id',
        extensions: { code: "BAD_USER_INPUT", field: "id" },
      }),
    ]);
  });
});

describe("analysisUpdated", () => {
  it("follows an analysis until it ends, from changes written by another connection", async () => {
    const { runBudgetFrontier } = ok(
      await server.gql<{ runBudgetFrontier: { id: string; status: string } }>(
        `mutation ($id: ID!) {
          runBudgetFrontier(input: { constraintSetId: $id, budgets: [1000, 2000] }) { id status }
        }`,
        { id: setId },
        keys.admin,
      ),
    );
    const id = runBudgetFrontier.id;
    const writes = [
      "UPDATE analysis SET status = 'RUNNING', phase = 'point 1', progress = 0.5 WHERE id = $1",
      "UPDATE analysis SET status = 'FAILED', phase = NULL, progress = 0 WHERE id = $1",
    ];
    const { results, end } = await subscribe<{ analysisUpdated: Record<string, unknown> }>(
      connect(`Bearer ${keys.viewer}`),
      `subscription ($id: ID!) { analysisUpdated(id: $id) { id kind status phase progress } }`,
      { id },
      () => {
        const sql = writes.shift();
        if (sql) void db.pool.query(sql, [dbId(id)]);
      },
    );
    expect(end).toEqual({ completed: true });
    const kind = "BUDGET_FRONTIER";
    expect(results.map((r) => r.data!.analysisUpdated)).toEqual([
      { id, kind, status: "QUEUED", phase: null, progress: 0 },
      { id, kind, status: "RUNNING", phase: "point 1", progress: 0.5 },
      { id, kind, status: "FAILED", phase: null, progress: 0 },
    ]);
  });

  it("answers NOT_FOUND for an unknown analysis", async () => {
    const { results } = await subscribe(
      connect(`Bearer ${keys.viewer}`),
      `subscription { analysisUpdated(id: "424242") { id status } }`,
      {},
    );
    expect(results).toEqual([
      { errors: [expect.objectContaining({ extensions: { code: "NOT_FOUND" } })] },
    ]);
  });
});

describe("the server's listening connection", () => {
  const LISTENER = `SELECT pid FROM pg_stat_activity
    WHERE application_name = 'offerplan-run-listener' AND datname = current_database()`;

  async function listenerPid(other: number | null, timeoutMs = 10_000): Promise<number> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const pids = (await db.pool.query<{ pid: number }>(LISTENER)).rows.map((r) => r.pid);
      const pid = pids.find((p) => p !== other);
      if (pid !== undefined && pids.length === 1) return pid;
      if (Date.now() > until) throw new Error(`no new run listener connection: ${pids}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it("is re-opened when lost, and changes reach subscribers again", async () => {
    const id = await queuedPlan(4);
    const lost = await listenerPid(null);
    const states: string[] = [];
    const { end } = await subscribe<PlanEvent>(
      connect(`Bearer ${keys.viewer}`),
      PLAN_UPDATED,
      { id },
      (r) => {
        states.push(r.data!.planUpdated.status);
        if (states.length > 1) return;
        void (async () => {
          await db.pool.query("SELECT pg_terminate_backend($1)", [lost]);
          await listenerPid(lost);
          await db.pool.query("UPDATE plan SET status = 'CANCELLED' WHERE id = $1", [dbId(id)]);
        })();
      },
    );
    expect(end).toEqual({ completed: true });
    expect(states).toEqual(["QUEUED", "CANCELLED"]);
  });
});

describe("the WebSocket", () => {
  it("is closed with 4401 without a key, with an unknown key, or with a malformed header", async () => {
    for (const auth of [undefined, "Bearer op_not_a_key", "Basic abc"]) {
      const { results, end } = await subscribe(connect(auth), PLAN_UPDATED, { id: "1" });
      expect({ auth, results, code: closeCode(end) }).toEqual({ auth, results: [], code: 4401 });
    }
  });

  it("takes the key under any case of `Authorization`, as GraphiQL's header editor sends it", async () => {
    const client = createClient({
      url: `ws://127.0.0.1:${server.port}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${keys.viewer}` },
      retryAttempts: 0,
    });
    clients.push(client);
    const { results } = await subscribe<PlanEvent>(client, PLAN_UPDATED, { id: finishedPlanId });
    expect(results[0]!.data!.planUpdated.status).toBe("SUCCEEDED");
  });

  it("closes with 4401 at the next subscription once the key is revoked", async () => {
    const { secret, id } = await createApiKeyInDatabase(db.url, "VIEWER", "soon revoked");
    const client = connect(`Bearer ${secret}`);
    const before = await subscribe(client, PLAN_UPDATED, { id: finishedPlanId });
    expect(before.end).toEqual({ completed: true });
    ok(
      await server.gql(
        `mutation ($id: ID!) { revokeApiKey(id: $id) { id } }`,
        { id: String(id) },
        keys.admin,
      ),
    );
    const after = await subscribe(client, PLAN_UPDATED, { id: finishedPlanId });
    expect(closeCode(after.end)).toBe(4401);
  });

  it("applies the depth, alias and cost limits, and runs nothing but subscriptions", async () => {
    const client = connect(`Bearer ${keys.viewer}`);
    const refused = async (query: string) => {
      const { results, end } = await subscribe(client, query, { id: finishedPlanId });
      expect(results).toEqual([]);
      if (!("error" in end) || !Array.isArray(end.error)) throw new Error(`not refused: ${query}`);
      return end.error as { message: string; extensions?: { code?: string } }[];
    };
    // eleven levels below the subscription root, one over the limit of 10
    const nested = (n: number): string =>
      n === 0 ? "id" : `constraintSet { latestVersion { ${nested(n - 1)} } }`;
    const deep = `subscription ($id: ID!) { planUpdated(id: $id) {
      constraintSetVersion { ${nested(5)} } } }`;
    expect((await refused(deep))[0]!.extensions!.code).toBe("GRAPHQL_VALIDATION_FAILED");
    const aliases = Array.from({ length: 21 }, (_, i) => `a${i}: id`).join(" ");
    expect(
      (await refused(`subscription ($id: ID!) { planUpdated(id: $id) { ${aliases} } }`))[0]!
        .extensions!.code,
    ).toBe("GRAPHQL_VALIDATION_FAILED");
    const costly = await refused(`subscription ($id: ID!) { planUpdated(id: $id) {
      assignments(first: 1000) { edges { node { customer { id } } } } } }`);
    expect(costly[0]).toMatchObject({ extensions: { code: "COST_LIMIT_EXCEEDED", limit: 500 } });
    const query = await refused(`query ($id: ID!) { plan(id: $id) { id } }`);
    expect(query[0]).toMatchObject({
      message: "a query goes to POST /graphql; this WebSocket runs subscriptions",
      extensions: { code: "BAD_REQUEST" },
    });
  });

  it("is closed with 1009 for a message over the request body limit (1 MB)", async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/graphql`, "graphql-transport-ws");
    await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
    const closed = new Promise<number>((resolve) => socket.once("close", resolve));
    socket.send(
      JSON.stringify({ type: "connection_init", payload: { pad: "x".repeat(1_000_001) } }),
    );
    expect(await closed).toBe(1009);
  });

  it("is refused over HTTP: a subscription needs the WebSocket", async () => {
    const res = await server.gql(PLAN_UPDATED, { id: finishedPlanId }, keys.viewer);
    expect(res.status).toBe(400);
    expect(failure(res)).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/^a subscription needs a WebSocket to \/graphql/),
    });
  });
});

describe("shutdown", () => {
  it("closes open subscriptions with 1001 (going away) and exits cleanly", async () => {
    const id = await queuedPlan(3);
    let first!: () => void;
    const subscribed = new Promise<void>((r) => (first = r));
    const outcome = subscribe(connect(`Bearer ${keys.viewer}`), PLAN_UPDATED, { id }, () =>
      first(),
    );
    await subscribed;
    const exit = await server.stop();
    expect(closeCode((await outcome).end)).toBe(1001);
    expect(exit).toEqual({ code: 0, signal: null });
  });
});
