// Strategic analyses stored and read back (service and GraphQL), and what-if plans: a scenario
// runs a version with overrides and leaves the version as it was.
import { createDb } from "../../src/services/db-handles";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ApolloServer } from "@apollo/server";
import pino from "pino";
import { createPrisma, type PrismaClient } from "../../src/db/prisma";
import { writeDataset } from "../../src/generate";
import type { GraphQLContext } from "../../src/graphql/context";
import { createLoaders } from "../../src/graphql/loaders";
import { RequestBudget } from "../../src/graphql/request-budget";
import { resolvers } from "../../src/graphql/resolvers";
import { importDataset } from "../../src/ingest";
import { SCHEMA_FILE } from "../../src/server/app";
import { createAnalysis, executeAnalysis } from "../../src/services/analyses";
import { saveConstraintSetByName } from "../../src/services/constraint-sets";
import { InputError } from "../../src/services/errors";
import { createPlan, executePlan } from "../../src/services/plans";
import { RunCancelledError } from "../../src/services/run-job";
import { readFileSync } from "node:fs";
import { dbId } from "../support/api-server";
import { createTestDatabase, type TestDatabase } from "../support/db";

let db: TestDatabase;
let prisma: PrismaClient;
let dir: string;
let versionId: number;
let apollo: ApolloServer<GraphQLContext>;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url);
  dir = await mkdtemp(path.join(tmpdir(), "offerplan-analyses-"));
  await writeDataset({ customers: 3000, seed: 8, profile: "default", outDir: dir });
  await importDataset(db.pool, dir);
  const def = JSON.parse(await readFile(path.join(dir, "constraints.json"), "utf8"));
  versionId = (await saveConstraintSetByName(createDb(db.pool, prisma), { ...def, budget: 1000 }))
    .versionId;
  apollo = new ApolloServer<GraphQLContext>({
    typeDefs: readFileSync(SCHEMA_FILE, "utf8"),
    resolvers,
  });
  await apollo.start();
});
afterAll(async () => {
  await apollo.stop();
  await prisma.$disconnect();
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await apollo.executeOperation(
    { query, variables },
    {
      contextValue: {
        caller: { keyId: 1, name: "test", role: "ANALYST" },
        pool: db.pool,
        prisma,
        loaders: createLoaders(db.pool, prisma),
        log: pino({ level: "silent" }),
        budget: new RequestBudget(20_000, 60_000),
      },
    },
  );
  if (res.body.kind !== "single") throw new Error("expected a single result");
  const { data, errors } = res.body.singleResult;
  if (errors) throw new Error(JSON.stringify(errors));
  return data as T;
}

describe("budget frontier", () => {
  it("is stored point by point, rising with the budget, and readable over GraphQL", async () => {
    const budgets = [300, 600, 900, 1200];
    const a = await createAnalysis(createDb(db.pool, prisma), "BUDGET_FRONTIER", versionId, {
      method: "CLUSTER_LP",
      clusters: 12,
      budgets,
    });
    const { points } = await executeAnalysis(db.pool, prisma, a.id);
    const stored = await prisma.analysisPoint.findMany({
      where: { analysisId: a.id },
      orderBy: { pointIndex: "asc" },
    });
    expect(stored.map((p) => p.parameter)).toEqual(budgets);
    expect(stored.map((p) => p.expectedReturn)).toEqual(points.map((p) => p.expectedReturn));
    for (let i = 1; i < stored.length; i++)
      expect(stored[i]!.expectedReturn).toBeGreaterThanOrEqual(stored[i - 1]!.expectedReturn);
    for (const p of stored) expect(p.cost).toBeLessThanOrEqual(p.parameter! + 1e-6);

    const data = await gql<{
      analysis: {
        status: string;
        kind: string;
        progress: number;
        points: {
          index: number;
          parameter: number;
          dual: number;
          constraintReport: { name: string }[];
        }[];
      };
    }>(
      `query($id: ID!) { analysis(id: $id) { status kind progress
         points { index parameter dual constraintReport { name } } } }`,
      { id: String(a.id) },
    );
    expect(data.analysis.status).toBe("SUCCEEDED");
    expect(data.analysis.kind).toBe("BUDGET_FRONTIER");
    expect(data.analysis.progress).toBe(1);
    expect(data.analysis.points.map((p) => p.parameter)).toEqual(budgets);
    expect(data.analysis.points[0]!.dual).toBeGreaterThan(0); // the tightest budget binds
    expect(data.analysis.points[0]!.constraintReport.map((c) => c.name)).toContain("budget");
  });

  it("queues over GraphQL with evenly spaced budgets, and rejects bad input", async () => {
    const data = await gql<{
      runBudgetFrontier: { id: string; status: string; parameters: { budgets: number[] } };
    }>(
      `mutation($v: ID!) { runBudgetFrontier(input: { constraintSetVersionId: $v, from: 100, to: 500, points: 5 }) { id status parameters } }`,
      { v: String(versionId) },
    );
    expect(data.runBudgetFrontier.status).toBe("QUEUED");
    expect(data.runBudgetFrontier.parameters.budgets).toEqual([100, 200, 300, 400, 500]);
    const [job] = (
      await db.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key = $1",
        [`analysis:${dbId(data.runBudgetFrontier.id)}`],
      )
    ).rows;
    expect(job!.n).toBe(1);
    await expect(
      gql(
        `mutation($v: ID!) { runBudgetFrontier(input: { constraintSetVersionId: $v, from: 5, to: 1 }) { id } }`,
        {
          v: String(versionId),
        },
      ),
    ).rejects.toThrow(/input\.to/);
    await expect(
      createAnalysis(createDb(db.pool, prisma), "CAPACITY", versionId, {
        method: "EXACT",
        channelId: "carrier_pigeon",
        capacities: [1],
      }),
    ).rejects.toThrow(InputError);
  });
});

describe("offer minimum costs and capacity", () => {
  it("stores what each minimum costs and a capacity sweep", async () => {
    const a = await createAnalysis(createDb(db.pool, prisma), "OFFER_MINIMUMS", versionId, {
      method: "EXACT",
    });
    const { points } = await executeAnalysis(db.pool, prisma, a.id);
    expect(points[0]!.label).toBe("all minimums");
    for (const p of points.slice(1)) {
      expect(p.label).toMatch(/^without offer_min:/);
      expect(p.marginalReturn).toBeGreaterThanOrEqual(0);
    }
    const c = await createAnalysis(createDb(db.pool, prisma), "CAPACITY", versionId, {
      method: "EXACT",
      channelId: "branch",
      capacities: [10, 40],
    });
    const sweep = await executeAnalysis(db.pool, prisma, c.id);
    expect(sweep.points.map((p) => p.label)).toEqual(["capacity:branch 10", "capacity:branch 40"]);
    expect(sweep.points[1]!.value).toBeGreaterThanOrEqual(sweep.points[0]!.value);
  });
});

describe("a failed analysis", () => {
  it("stores its error and phase, names no process any more, and is not run again", async () => {
    // a channel gone from the data since the analysis was asked for
    const a = await prisma.analysis.create({
      data: {
        kind: "CAPACITY",
        constraintSetVersionId: versionId,
        method: "EXACT",
        parameters: { method: "EXACT", channelId: "nowhere", capacities: [10] },
      },
    });
    await expect(executeAnalysis(db.pool, prisma, a.id)).rejects.toThrow(InputError);
    const row = await prisma.analysis.findUniqueOrThrow({ where: { id: a.id } });
    expect(row).toMatchObject({
      status: "FAILED",
      error: 'channelId: unknown channel "nowhere"',
      failedInPhase: "point 1",
      phase: null,
      progress: 0,
      runBy: null,
    });
    expect(row.finishedAt).not.toBeNull();
    await expect(executeAnalysis(db.pool, prisma, a.id)).rejects.toThrow(
      new RunCancelledError(`analysis ${a.id} is not queued`),
    );
  });
});

describe("what-if plans", () => {
  it("run a version with overrides as a scenario and leave the version unchanged", async () => {
    const before = await prisma.constraintSetVersion.findMany({ orderBy: { id: "asc" } });
    const plain = await createPlan(createDb(db.pool, prisma), versionId, { method: "EXACT" });
    await executePlan(db.pool, prisma, plain.id);
    const whatIf = await createPlan(createDb(db.pool, prisma), versionId, {
      method: "EXACT",
      overrides: { budget: 2000 },
    });
    await executePlan(db.pool, prisma, whatIf.id);
    const [p1, p2] = await Promise.all([
      prisma.plan.findUniqueOrThrow({ where: { id: plain.id } }),
      prisma.plan.findUniqueOrThrow({ where: { id: whatIf.id } }),
    ]);
    expect([p1.scenario, p2.scenario]).toEqual([false, true]);
    const cost = (p: typeof p1) => (p.kpis as { cost: number }).cost;
    expect(cost(p1)).toBeLessThanOrEqual(1000 + 1e-6);
    expect(cost(p2)).toBeGreaterThan(1000);
    expect(cost(p2)).toBeLessThanOrEqual(2000 + 1e-6);
    const budgetRow = await db.pool.query<{ bound: number }>(
      "SELECT bound FROM plan_constraint_report WHERE plan_id = $1 AND name = 'budget'",
      [whatIf.id],
    );
    expect(budgetRow.rows[0]!.bound).toBe(2000);
    expect(await prisma.constraintSetVersion.findMany({ orderBy: { id: "asc" } })).toEqual(before);
    await expect(
      createPlan(createDb(db.pool, prisma), versionId, {
        method: "EXACT",
        overrides: { budget: -1 },
      }),
    ).rejects.toThrow(/input\.overrides\.budget/);

    const data = await gql<{ plan: { scenario: boolean; overrides: Record<string, unknown> } }>(
      `query($id: ID!) { plan(id: $id) { scenario overrides } }`,
      { id: String(whatIf.id) },
    );
    expect(data.plan).toEqual({ scenario: true, overrides: { budget: 2000 } });
  });

  it("lists analyses as a connection, newest first, paged both ways", async () => {
    const { rows } = await db.pool.query<{ id: number }>(
      "SELECT id FROM analysis ORDER BY created_at DESC, id DESC",
    );
    expect(rows.length).toBeGreaterThanOrEqual(3);
    const expected = rows.map((r) => `Analysis:${r.id}`);
    interface Conn {
      totalCount: number;
      edges: { node: { id: string } }[];
      pageInfo: {
        hasNextPage: boolean;
        hasPreviousPage: boolean;
        startCursor: string;
        endCursor: string;
      };
    }
    const page = async (args: string) =>
      (
        await gql<{ analyses: Conn }>(`{ analyses(${args}) {
          totalCount edges { node { id } }
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`)
      ).analyses;
    const first = await page("first: 2");
    expect(first.totalCount).toBe(rows.length);
    expect(first.edges.map((e) => e.node.id)).toEqual(expected.slice(0, 2));
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const rest = await page(`first: 1000, after: "${first.pageInfo.endCursor}"`);
    expect(rest.edges.map((e) => e.node.id)).toEqual(expected.slice(2));
    const back = await page(`last: 1, before: "${rest.pageInfo.startCursor}"`);
    expect(back.edges.map((e) => e.node.id)).toEqual([expected[1]]);
    expect(back.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const oldest = await page("last: 1, orderBy: { field: CREATED_AT, direction: ASC }");
    expect(oldest.edges.map((e) => e.node.id)).toEqual([expected[0]]);
  });
});
