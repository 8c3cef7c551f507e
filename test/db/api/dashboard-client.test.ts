// The example dashboard client (examples/dashboard-client) against the real server process: the
// same code front-end teams copy, over real HTTP and a real WebSocket, on a plan it runs itself.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import WebSocket from "ws";
import {
  createDashboardClient,
  type AssignmentsPage,
  type DashboardClient,
  type PlanState,
} from "../../../examples/dashboard-client/src/client";
import { createApiKeyInDatabase, startApiServer, type ApiServer } from "../../support/api-server";
import { createTestDatabase, type TestDatabase } from "../../support/db";
import { generatedDataset, importWithConstraints, ok, type GeneratedDataset } from "./helpers";

// The worker stops this long before it writes the plan, so the plan is RUNNING for a second at
// least: the subscriber sees it running however fast the optimisation itself is.
const PAUSE_BEFORE_WRITE_MS = 1000;
// Small and not a divisor of the row count, so there are many pages and a short last one.
const PAGE_SIZE = 37;
const ROOT = path.join(__dirname, "..", "..", "..");
const run = promisify(execFile);

let db: TestDatabase;
let server: ApiServer;
let data: GeneratedDataset;
let adminKey: string;
let client: DashboardClient;
let versionId: string;
let analystKey: string;

beforeAll(async () => {
  db = await createTestDatabase();
  let admin, analyst;
  [data, server, admin, analyst] = await Promise.all([
    generatedDataset(1_000, 23),
    startApiServer({
      databaseUrl: db.url,
      workers: 1,
      env: {
        OFFERPLAN_TEST_PAUSE_PHASES: "write",
        OFFERPLAN_TEST_PAUSE_MS: String(PAUSE_BEFORE_WRITE_MS),
      },
    }),
    createApiKeyInDatabase(db.url, "ADMIN", "dashboard admin"),
    createApiKeyInDatabase(db.url, "ANALYST", "dashboard analyst"),
  ]);
  adminKey = admin.secret;
  analystKey = analyst.secret;
  versionId = await importWithConstraints(server, adminKey, data);
  client = createDashboardClient({
    url: `${server.url}/graphql`,
    apiKey: analyst.secret,
    webSocketImpl: WebSocket,
  });
});

afterAll(async () => {
  await server?.stop();
  await db?.drop();
  await data?.remove();
});

/** What identifies an assignment: a customer gets an offer once per wave. */
const rowKey = ({ node: a }: AssignmentsPage["edges"][number]) =>
  `${a.customer.id}|${a.offer.id}|${a.channel.id}|${a.wave ?? ""}`;

describe("the example dashboard client", () => {
  let planId: string;

  it("runs a plan and follows it over the subscription until it succeeds", async () => {
    const queued = await client.runPlan({ constraintSetVersionId: versionId, seed: 3 });
    expect(queued.status).toBe("QUEUED");
    planId = queued.id;

    const states: PlanState[] = [];
    for await (const state of client.followPlan(planId)) states.push(state);

    // the loop ended on its own: the server completed the subscription when the plan ended
    expect(states.every((s) => s.id === planId)).toBe(true);
    expect(states.at(-1)).toMatchObject({ status: "SUCCEEDED", progress: 1, error: null });
    expect(states.slice(0, -1).every((s) => ["QUEUED", "RUNNING"].includes(s.status))).toBe(true);
    expect(states.some((s) => s.status === "RUNNING" && s.phase === "WRITE")).toBe(true);
    const progress = states.map((s) => s.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it("lists the plan", async () => {
    const plans = await client.listPlans({
      first: 10,
      orderBy: { field: "CREATED_AT", direction: "DESC" },
    });
    expect(plans.totalCount).toBe(1);
    expect(plans.pageInfo).toEqual({ hasNextPage: false, endCursor: expect.any(String) });
    expect(plans.edges.map((e) => [e.node.id, e.node.status])).toEqual([[planId, "SUCCEEDED"]]);
  });

  it("shows the plan's KPIs, constraint report and offer × channel table", async () => {
    const dashboard = await client.planDashboard(planId);
    const { plan } = ok(
      await server.gql<{ plan: { kpis: unknown } }>(
        `query ($id: ID!) { plan(id: $id) { kpis {
          expectedReturn cost roi contacts upperBound gap baselineExpectedReturn baselineCost
          contactsByChannel { channel { id } contacts } } } }`,
        { id: planId },
        adminKey,
      ),
    );
    expect(dashboard.kpis).toEqual(plan.kpis);
    const kpis = dashboard.kpis!;
    expect(kpis.contacts).toBeGreaterThan(0);

    const table = dashboard.offerChannelFrequencies;
    expect(table.reduce((n, f) => n + f.contacts, 0)).toBe(kpis.contacts);
    expect(new Set(table.map((f) => `${f.offer.id}|${f.channel.id}`)).size).toBe(table.length);
    expect(table.reduce((n, f) => n + f.expectedReturn, 0)).toBeCloseTo(kpis.expectedReturn, 4);

    const budget = dashboard.constraintReport.find((r) => r.kind === "BUDGET");
    expect(budget).toMatchObject({ name: "budget", sense: "LE", bound: data.constraints.budget });
    expect(budget!.activity).toBeCloseTo(kpis.cost, 4);
  });

  it("pages through every assignment forward, and backward from the end to the same rows", async () => {
    const forward: string[] = [];
    let totalCount = -1;
    let pages = 0;
    for await (const page of client.assignmentPages(planId, PAGE_SIZE)) {
      totalCount = page.totalCount;
      pages++;
      forward.push(...page.edges.map(rowKey));
    }
    expect(totalCount).toBeGreaterThan(3 * PAGE_SIZE);
    expect(forward).toHaveLength(totalCount);
    expect(new Set(forward).size).toBe(totalCount);
    expect(pages).toBe(Math.ceil(totalCount / PAGE_SIZE));

    const backward: string[] = [];
    let page = await client.previousPage(planId, PAGE_SIZE);
    expect(page.pageInfo.hasNextPage).toBe(false);
    for (;;) {
      expect(page.edges).toHaveLength(Math.min(PAGE_SIZE, totalCount - backward.length));
      backward.push(...page.edges.map(rowKey).reverse());
      if (!page.pageInfo.hasPreviousPage) break;
      page = await client.previousPage(planId, PAGE_SIZE, page.pageInfo.startCursor);
    }
    expect(backward).toEqual([...forward].reverse());
  });

  it("runs as the README says and prints the plan's dashboard", async () => {
    const { kpis, offerChannelFrequencies } = await client.planDashboard(planId);
    const first = await client.assignmentPages(planId, 5).next();
    const { stdout } = await run(
      process.execPath,
      [
        path.join(ROOT, "node_modules/tsx/dist/cli.mjs"),
        "examples/dashboard-client/src/main.ts",
        "--url",
        `${server.url}/graphql`,
        "--key",
        analystKey,
        "--page-size",
        "5",
      ],
      { cwd: ROOT },
    );
    expect(stdout).toContain("1 plans, newest first");
    expect(stdout).toContain(`${planId}: SUCCEEDED DONE 100%`);
    expect(stdout).toContain(`${kpis!.contacts} contacts`);
    expect(stdout).toContain(`Assignments: the first 5 of ${first.value!.totalCount}`);
    const firstCustomer = first.value!.edges[0]!.node.customer.id;
    expect(stdout).toContain(`'${firstCustomer}'`);
    // the offer × channel table as printed: console.table's cells of index, offer, channel, contacts
    const printed = stdout
      .split("\n")
      .map((line) => line.split("│").map((cell) => cell.trim()))
      .filter((cells) => cells[2]?.startsWith("'Offer:"))
      .map((cells) => cells.slice(2, 5).join(" "));
    expect(printed).toEqual(
      offerChannelFrequencies.map((f) => `'${f.offer.id}' '${f.channel.id}' ${f.contacts}`),
    );
  });

  it("fails with the plan's id when the plan does not exist", async () => {
    await expect(client.planDashboard("Plan:999999")).rejects.toThrow("plan Plan:999999 not found");
  });

  it("fails to follow a plan with a key the server does not know, naming the close code", async () => {
    const stranger = createDashboardClient({
      url: `${server.url}/graphql`,
      apiKey: "op_not_a_key",
      webSocketImpl: WebSocket,
    });
    const states: PlanState[] = [];
    await expect(
      (async () => {
        for await (const s of stranger.followPlan(planId)) states.push(s);
      })(),
    ).rejects.toThrow(`planUpdated(${planId}): the socket was closed (4401: `);
    expect(states).toEqual([]);
  });
});
