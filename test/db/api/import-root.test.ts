// Imports over the API read only below the import root: `..`, symlinked directories and
import { createDb } from "../../../src/services/db-handles";
import { RequestBudget } from "../../../src/graphql/request-budget";
// symlinked files that lead out are refused alike (the answer never tells whether something
// exists outside), paths come back relative to the root, and a production server without a
// root runs no import at all.
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ApolloServer } from "@apollo/server";
import pino from "pino";
import { createPrisma, type PrismaClient } from "../../../src/db/prisma";
import { writeDataset } from "../../../src/generate";
import type { GraphQLContext } from "../../../src/graphql/context";
import { formatError } from "../../../src/graphql/errors";
import { createLoaders } from "../../../src/graphql/loaders";
import { resolvers } from "../../../src/graphql/resolvers";
import { saveConstraintSetByName } from "../../../src/services/constraint-sets";
import { createPlan, executePlan } from "../../../src/services/plans";
import { createTestDatabase, type TestDatabase } from "../../support/db";

let db: TestDatabase;
let prisma: PrismaClient;
let apollo: ApolloServer<GraphQLContext>;
/** holds `root` and, beside it, what must stay out of reach */
let base: string;
let root: string;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url);
  base = await mkdtemp(path.join(tmpdir(), "offerplan-import-root-"));
  root = path.join(base, "root");
  const outside = path.join(base, "outside");
  await writeDataset({
    customers: 150,
    seed: 4,
    profile: "default",
    outDir: path.join(root, "data"),
  });
  await writeDataset({ customers: 150, seed: 5, profile: "default", outDir: outside });
  await writeFile(
    path.join(outside, "responses.csv"),
    "customer_id,offer_id,channel_id,responded,revenue\n",
  );
  await writeFile(
    path.join(root, "responses.csv"),
    "customer_id,offer_id,channel_id,responded,revenue\n",
  );
  await symlink(outside, path.join(root, "link-out"));
  await symlink(path.join(base, "nothing-here"), path.join(root, "ghost"));
  await symlink(path.join(outside, "responses.csv"), path.join(root, "responses-out.csv"));
  await symlink(path.join(base, "nothing.csv"), path.join(root, "responses-ghost.csv"));
  // a directory inside the root whose files lead out
  await mkdir(path.join(root, "mixed"));
  for (const f of ["channels.csv", "offers.csv"])
    await symlink(path.join(outside, f), path.join(root, "mixed", f));
  await mkdir(path.join(root, "empty"));
  // a root given through a symlink of its own is fine
  await symlink(root, path.join(base, "root-alias"));
  apollo = new ApolloServer<GraphQLContext>({
    typeDefs: await readFile(path.join(__dirname, "..", "..", "..", "schema.graphql"), "utf8"),
    resolvers,
    formatError: (formatted, error) => formatError(formatted, error, () => "test"),
  });
  await apollo.start();
});
afterAll(async () => {
  await apollo?.stop();
  await prisma.$disconnect();
  await db.drop();
  await rm(base, { recursive: true, force: true });
});

interface GqlError {
  message: string;
  extensions?: { code?: string; field?: string; problems?: { file: string; message: string }[] };
}

async function gql<T>(
  query: string,
  variables: Record<string, unknown>,
  imports: Pick<GraphQLContext, "importRoot" | "importRootRequired"> = { importRoot: root },
) {
  const res = await apollo.executeOperation<T>(
    { query, variables },
    {
      contextValue: {
        caller: { keyId: 1, name: "test", role: "ADMIN" },
        pool: db.pool,
        prisma,
        loaders: createLoaders(db.pool, prisma),
        log: pino({ level: "silent" }),
        budget: new RequestBudget(20_000, 60_000),
        ...imports,
      },
    },
  );
  if (res.body.kind !== "single") throw new Error("unexpected incremental response");
  const { data, errors } = res.body.singleResult;
  return {
    data: (data ?? null) as T | null,
    errors: errors as GqlError[] | undefined,
    raw: JSON.stringify(res.body.singleResult),
  };
}

const IMPORT = `mutation ($dir: String!) { importDataset(dir: $dir) { directory changed } }`;
const RESPONSES = `mutation ($plan: ID!, $path: String!) {
  importResponses(planId: $plan, path: $path) { file rowsRead }
}`;

const importRuns = async () =>
  (await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM import_run")).rows[0]!.n;

describe("importDataset below the import root", () => {
  it("refuses a way out as it refuses a missing directory, revealing nothing", async () => {
    const before = await importRuns();
    const messages: string[] = [];
    for (const dir of ["link-out", "ghost", "no-such-dir", "../outside", "link-out/offers.csv"]) {
      const res = await gql(IMPORT, { dir });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "dir" });
      expect(res.raw).not.toContain(base);
      messages.push(res.errors![0]!.message);
    }
    // the same answer whether or not something exists out there
    expect(new Set(messages.slice(0, 3)).size).toBe(1);
    expect(await importRuns()).toBe(before);
  });

  it("refuses a directory whose files are symlinks leading out", async () => {
    const before = await importRuns();
    const res = await gql(IMPORT, { dir: "mixed" });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "dir" });
    expect(res.raw).not.toContain(base);
    expect(await importRuns()).toBe(before);
  });

  it("names directories relative to the root, in problems too", async () => {
    const empty = await gql(IMPORT, { dir: "empty" });
    expect(empty.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(empty.raw).not.toContain(base);
    const res = await gql<{ importDataset: { directory: string; changed: boolean } }>(IMPORT, {
      dir: "data",
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.importDataset).toEqual({ directory: "data", changed: true });
    const alias = await gql<{ importDataset: { directory: string } }>(
      IMPORT,
      { dir: "./data/" },
      { importRoot: path.join(base, "root-alias") },
    );
    expect(alias.errors).toBeUndefined();
    expect(alias.data!.importDataset.directory).toBe("data");
  });

  it("runs no import without a root when one is required (production)", async () => {
    const before = await importRuns();
    const res = await gql(
      IMPORT,
      { dir: path.join(root, "data") },
      { importRoot: undefined, importRootRequired: true },
    );
    expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(res.errors![0]!.message).toMatch(/IMPORT_ROOT/);
    const responses = await gql(
      RESPONSES,
      { plan: "1", path: path.join(root, "responses.csv") },
      { importRoot: undefined, importRootRequired: true },
    );
    expect(responses.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await importRuns()).toBe(before);
  });
});

describe("importResponses below the import root", () => {
  let planId: string;
  beforeAll(async () => {
    const def = JSON.parse(await readFile(path.join(root, "data", "constraints.json"), "utf8"));
    const v = await saveConstraintSetByName(createDb(db.pool, prisma), def);
    const plan = await createPlan(createDb(db.pool, prisma), v.versionId, { method: "GREEDY" });
    await executePlan(db.pool, prisma, plan.id);
    planId = String(plan.id);
  });

  it("refuses a symlinked file leading out as it refuses a missing one", async () => {
    const messages: string[] = [];
    for (const p of ["responses-out.csv", "responses-ghost.csv", "no-such.csv", "link-out"]) {
      const res = await gql(RESPONSES, { plan: planId, path: p });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "path" });
      expect(res.raw).not.toContain(base);
      messages.push(res.errors![0]!.message);
    }
    expect(new Set(messages).size).toBe(1);
    const n = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM response_import");
    expect(n.rows[0]!.n).toBe(0);
  });

  it("names the file relative to the root", async () => {
    const res = await gql<{ importResponses: { file: string } }>(RESPONSES, {
      plan: planId,
      path: ".",
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.importResponses.file).toBe("responses.csv");
  });
});
