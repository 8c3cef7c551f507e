// With introspection off the schema is not for strangers to read, and graphql-js's "Did you
// mean …" hints on a misspelt field, argument, type or enum value would give it away piece by
// piece; with introspection on they stay, as a help.
import pino from "pino";
import { CLI_ACTOR } from "../../../src/db/audit";
import { createPrisma, type PrismaClient } from "../../../src/db/prisma";
import { createDb } from "../../../src/services/db-handles";
import { createApiKey } from "../../../src/services/api-keys";
import { createApi, type Api } from "../../../src/server/app";
import { startApiServer, type ApiServer } from "../../support/api-server";
import { createTestDatabase, type TestDatabase } from "../../support/db";

let db: TestDatabase;
let prisma: PrismaClient;
let secret: string;
const apis: Api[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url);
  secret = (await createApiKey(createDb(db.pool, prisma), "suggestions", "ADMIN", CLI_ACTOR))
    .secret;
});
afterAll(async () => {
  for (const api of apis) await api.close();
  await prisma.$disconnect();
  await db.drop();
});

async function start(introspection: boolean): Promise<string> {
  const api = await createApi({
    pool: db.pool,
    prisma,
    log: pino({ level: "silent" }),
    introspection,
  });
  apis.push(api);
  const port = await api.listen(0);
  return `http://127.0.0.1:${port}/graphql`;
}

async function errorsOf(
  url: string,
  query: string,
): Promise<{ message: string; extensions?: { code?: string } }[]> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
    body: JSON.stringify({ query }),
  });
  const body = (await res.json()) as {
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  return body.errors ?? [];
}

const TYPOS = [
  "{ plann(id: 1) { id } }", // field
  "{ plan(idd: 1) { id } }", // argument
  "query ($x: PlanStatuss) { plans { totalCount } }", // type
  "{ plans(filter: { status: [SUCCEDED] }) { totalCount } }", // enum value
  "{ plans(filter: { statuss: [SUCCEEDED] }) { totalCount } }", // input field
];

describe("field suggestions", () => {
  it("are not given when introspection is off", async () => {
    const url = await start(false);
    for (const q of TYPOS) {
      const errors = await errorsOf(url, q);
      expect(errors.length).toBeGreaterThan(0);
      for (const e of errors) {
        expect(e.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
        expect(e.message).not.toMatch(/did you mean/i);
      }
    }
  });

  it("are given when introspection is on", async () => {
    const url = await start(true);
    const errors = await errorsOf(url, TYPOS[0]!);
    expect(errors[0]!.message).toMatch(/Did you mean "plan/);
  });
});

describe("serve", () => {
  const introspect = async (server: ApiServer) =>
    server.gql<{ __schema: { queryType: { name: string } } }>(
      "{ __schema { queryType { name } } }",
      {},
      secret,
    );
  const servers: ApiServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop();
  });
  const serve = async (env: Record<string, string>, extraArgs: string[] = []) => {
    const s = await startApiServer({ databaseUrl: db.url, workers: 0, env, extraArgs });
    servers.push(s);
    return s;
  };

  // `--no-introspection` alone made commander default the option to true, which overrode
  // NODE_ENV=production: the schema was open in production.
  it("turns introspection off in production unless asked, and on in development", async () => {
    const [production, forced, development] = await Promise.all([
      serve({ NODE_ENV: "production" }),
      serve({ NODE_ENV: "production" }, ["--introspection"]),
      serve({ NODE_ENV: "development" }),
    ]);
    const refused = await introspect(production);
    expect(refused.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(refused.errors?.[0]?.message).toMatch(/introspection/i);
    expect((await introspect(forced)).data?.__schema.queryType.name).toBe("Query");
    expect((await introspect(development)).data?.__schema.queryType.name).toBe("Query");
  });
});
