// A forged cursor through the API: a client error on the argument (INVALID_CURSOR), not an
// internal error from a number or a timestamp the database cannot take.
import { readFile } from "node:fs/promises";
import { RequestBudget } from "../../../src/graphql/request-budget";
import path from "node:path";
import { ApolloServer } from "@apollo/server";
import pino from "pino";
import { createPrisma, type PrismaClient } from "../../../src/db/prisma";
import type { GraphQLContext } from "../../../src/graphql/context";
import { formatError } from "../../../src/graphql/errors";
import { createLoaders } from "../../../src/graphql/loaders";
import { resolvers } from "../../../src/graphql/resolvers";
import { createTestDatabase, type TestDatabase } from "../../support/db";

let db: TestDatabase;
let prisma: PrismaClient;
let apollo: ApolloServer<GraphQLContext>;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url);
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
});

const forge = (key: unknown) => Buffer.from(JSON.stringify(key)).toString("base64url");

const AT = "2026-01-01T00:00:00.000Z";

it.each([
  [[AT, 1e30]],
  [[AT, 1.5]],
  [[AT, 2 ** 31]],
  [[AT, -1e300]],
  [["2026-13-45", 1]],
  [[1, 1]],
])("plans(after: %j) is INVALID_CURSOR on `after`", async (key) => {
  const res = await apollo.executeOperation(
    {
      query: `query ($after: String) { plans(after: $after) { totalCount } }`,
      variables: { after: forge(["CREATED_AT:DESC", ...key]) },
    },
    {
      contextValue: {
        caller: { keyId: 1, name: "test", role: "VIEWER" },
        pool: db.pool,
        prisma,
        loaders: createLoaders(db.pool, prisma),
        log: pino({ level: "silent" }),
        budget: new RequestBudget(20_000, 60_000),
      },
    },
  );
  if (res.body.kind !== "single") throw new Error("unexpected incremental response");
  expect(res.body.singleResult.errors?.[0]?.extensions).toMatchObject({
    code: "INVALID_CURSOR",
    field: "after",
  });
});
