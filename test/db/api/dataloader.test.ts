// A page of assignments with their customers, offers and channels costs the same few SQL
// statements whether it holds 10 rows or 100: relations go through per-request DataLoaders, not
// one query per row. Statements are counted where every query passes, pg's Client#query (the
// app's pool and Prisma's driver adapter both use it), around the real HTTP app of createApi().
import { createDb } from "../../../src/services/db-handles";
import pg from "pg";
import pino from "pino";
import { createPrisma, type PrismaClient } from "../../../src/db/prisma";
import { importDataset } from "../../../src/ingest";
import { createApi, type Api } from "../../../src/server/app";
import { saveConstraintSetByName } from "../../../src/services/constraint-sets";
import { createPlan, executePlan } from "../../../src/services/plans";
import { plansByIds } from "../../../src/db/plan-reads";
import { createApiKeyInDatabase, postGraphQL } from "../../support/api-server";
import { createTestDatabase, type TestDatabase } from "../../support/db";
import { generatedDataset, ok, type GeneratedDataset } from "./helpers";

type Query = (...args: unknown[]) => unknown;
const clientProto = pg.Client.prototype as unknown as { query: Query };
const originalQuery = clientProto.query;
/** statements seen while counting; null = not counting */
let statements: string[] | null = null;

function sqlText(arg: unknown): string {
  if (typeof arg === "string") return arg;
  if (arg && typeof arg === "object" && "text" in arg) return String(arg.text);
  return "(submittable)";
}

let db: TestDatabase;
let prisma: PrismaClient;
let data: GeneratedDataset;
let api: Api;
let url: string;
let key: string;
let planId: number;

beforeAll(async () => {
  clientProto.query = function (this: pg.Client, ...args: unknown[]) {
    statements?.push(sqlText(args[0]));
    return originalQuery.apply(this, args);
  };
  db = await createTestDatabase();
  prisma = createPrisma(db.url);
  data = await generatedDataset(1500, 3);
  await importDataset(db.pool, data.dir);
  const { versionId } = await saveConstraintSetByName(createDb(db.pool, prisma), data.constraints);
  planId = (await createPlan(createDb(db.pool, prisma), versionId, { method: "GREEDY" })).id;
  await executePlan(db.pool, prisma, planId);
  key = (await createApiKeyInDatabase(db.url, "VIEWER", "dataloader")).secret;
  api = await createApi({ pool: db.pool, prisma, log: pino({ level: "silent" }) });
  url = `http://127.0.0.1:${await api.listen(0)}`;
});

afterAll(async () => {
  clientProto.query = originalQuery;
  await api?.close();
  await prisma?.$disconnect();
  await db?.drop();
  await data?.remove();
});

const PAGE = `query ($id: ID!, $first: Int!) {
  plan(id: $id) { assignments(first: $first) { totalCount edges { node {
    customer { id segment } offer { id } channel { id }
  } } } }
}`;

interface PageData {
  plan: {
    assignments: {
      totalCount: number;
      edges: {
        node: {
          customer: { id: string; segment: string | null };
          offer: { id: string };
          channel: { id: string };
        };
      }[];
    };
  };
}

async function countedPage(first: number) {
  statements = [];
  try {
    const data = ok(await postGraphQL<PageData>(url, PAGE, { id: String(planId), first }, key));
    // Authentication is not what is measured (its key lookup is cached for a few seconds).
    return { data, sql: statements.filter((s) => !/\bapi_key\b/.test(s)) };
  } finally {
    statements = null;
  }
}

it("counts the same few statements for 10 and for 100 assignments", async () => {
  await countedPage(5); // warm-up: key cache, Prisma's connection
  const small = await countedPage(10);
  const large = await countedPage(100);

  expect(large.data.plan.assignments.totalCount).toBeGreaterThanOrEqual(100);
  expect(small.data.plan.assignments.edges).toHaveLength(10);
  expect(large.data.plan.assignments.edges).toHaveLength(100);
  const customers = large.data.plan.assignments.edges.map((e) => e.node.customer);
  expect(new Set(customers.map((c) => c.id)).size).toBe(100);
  expect(customers.every((c) => /^Customer:C\d+$/.test(c.id) && c.segment !== null)).toBe(true);
  // the first page of 100 begins with the page of 10
  expect(large.data.plan.assignments.edges.slice(0, 10)).toEqual(small.data.plan.assignments.edges);

  expect(large.sql.length).toBe(small.sql.length);
  expect(large.sql.length).toBeLessThanOrEqual(8);
  // one statement for all the page's customers
  expect(large.sql.filter((s) => /\bFROM customer\b/.test(s))).toHaveLength(1);
});

describe("the plan loader", () => {
  // It reads plan rows by SQL for speed; a column left out of it reads as undefined in GraphQL
  // (a plan's name, notes and approval did, through plan(id)).
  it("reads every field of a plan row that Prisma reads, with the same values", async () => {
    const [viaLoader] = await plansByIds(db.pool, [planId]);
    const viaPrisma = await prisma.plan.findUniqueOrThrow({ where: { id: planId } });
    expect(Object.keys(viaLoader!).sort()).toEqual(Object.keys(viaPrisma).sort());
    const same = (v: unknown) => (typeof v === "bigint" ? Number(v) : v);
    for (const [k, v] of Object.entries(viaPrisma))
      expect([k, same(viaLoader![k as keyof typeof viaLoader])]).toEqual([k, same(v)]);
  });
});
