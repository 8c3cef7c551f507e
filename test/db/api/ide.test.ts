// The in-browser IDE: GraphiQL from the server's own files, so it works with no network beyond
// the server; and with the IDE off, no page at all (Apollo's landing page loads from a CDN).
import pino from "pino";
import { CLI_ACTOR } from "../../../src/db/audit";
import { createPrisma, type PrismaClient } from "../../../src/db/prisma";
import { createDb } from "../../../src/services/db-handles";
import { createApiKey } from "../../../src/services/api-keys";
import { createApi, type Api } from "../../../src/server/app";
import { describeWithChromium, loadPageInChromium } from "../../support/chromium";
import { createTestDatabase, type TestDatabase } from "../../support/db";

let db: TestDatabase;
let prisma: PrismaClient;
let secret: string;
const apis: Api[] = [];
let withIde: string;
let withoutIde: string;

const BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

async function start(ide: boolean): Promise<string> {
  const api = await createApi({ pool: db.pool, prisma, log: pino({ level: "silent" }), ide });
  apis.push(api);
  return `http://127.0.0.1:${await api.listen(0)}`;
}

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url);
  secret = (await createApiKey(createDb(db.pool, prisma), "ide", "VIEWER", CLI_ACTOR)).secret;
  withIde = await start(true);
  withoutIde = await start(false);
});
afterAll(async () => {
  for (const api of apis) await api.close();
  await prisma.$disconnect();
  await db.drop();
});

/** Every src and href of a page's tags. */
const references = (html: string) =>
  [...html.matchAll(/<[a-z]+\s[^>]*?\b(?:src|href)\s*=\s*"([^"]*)"/gi)].map((m) => m[1]!);

describe("GET /graphql from a browser, with the IDE on", () => {
  it("is GraphiQL's page, referring only to files of this server, each served", async () => {
    const res = await fetch(`${withIde}/graphql`, { headers: { accept: BROWSER_ACCEPT } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    const html = await res.text();
    const refs = references(html);
    expect(refs).toEqual([
      "/ide/graphiql.min.css",
      "/ide/react.production.min.js",
      "/ide/react-dom.production.min.js",
      "/ide/graphiql.min.js",
      "/ide/setup.js",
    ]);
    // no other host, not even protocol-relative, and no inline script to need the policy eased
    for (const ref of refs) expect(new URL(ref, withIde).origin).toBe(withIde);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    for (const ref of refs) {
      const asset = await fetch(new URL(ref, withIde));
      const body = await asset.text();
      expect({ ref, status: asset.status }).toEqual({ ref, status: 200 });
      expect(asset.headers.get("content-type")).toBe(
        ref.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8",
      );
      expect(body.length).toBeGreaterThan(100);
    }
  });

  it("serves nothing else of the packages", async () => {
    for (const name of ["package.json", "..%2Fpackage.json", "index.js", "graphiql.js.map"]) {
      const res = await fetch(`${withIde}/ide/${name}`);
      expect({ name, status: res.status }).toEqual({ name, status: 404 });
    }
  });

  it("leaves API requests to the API: a GET without HTML asked for, and introspection without a key", async () => {
    const get = await fetch(
      `${withIde}/graphql?query=${encodeURIComponent("{ viewer { name } }")}`,
      {
        headers: { authorization: `Bearer ${secret}`, "apollo-require-preflight": "1" },
      },
    );
    expect(await get.json()).toEqual({ data: { viewer: { name: "ide" } } });
    const introspection = await fetch(`${withIde}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __schema { queryType { name } } }" }),
    });
    expect(introspection.status).toBe(401);
  });
});

describe("GET /graphql from a browser, with the IDE off", () => {
  it("is no page: neither GraphiQL nor Apollo's landing page from a CDN", async () => {
    const res = await fetch(`${withoutIde}/graphql`, { headers: { accept: BROWSER_ACCEPT } });
    const body = await res.text();
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).not.toContain("text/html");
    expect(body).not.toMatch(/<html|<script|https?:\/\//i);
    expect((await fetch(`${withoutIde}/ide/graphiql.min.js`)).status).toBe(404);
  });
});

describeWithChromium("the IDE in Chromium", () => {
  it("renders GraphiQL with the Bearer header ready, and requests nothing from another host", async () => {
    const { dom, requests } = await loadPageInChromium(`${withIde}/graphql`);
    expect(dom).toContain('class="graphiql-container"');
    // the header editor's text, as CodeMirror lays it out
    expect(dom).toMatch(/"Authorization"<\/span>: <span class="cm-string">"Bearer "/);
    // its schema request went out without a key, and the API refused it as it refuses any
    expect(dom).toMatch(/"code"<\/span>[^]{0,200}"UNAUTHENTICATED"/);
    const urls = requests.map((r) => `${r.method} ${r.url}`);
    expect(urls).toEqual(
      expect.arrayContaining([
        `GET ${withIde}/graphql`,
        `GET ${withIde}/ide/graphiql.min.js`,
        `GET ${withIde}/ide/setup.js`,
        `POST ${withIde}/graphql`,
      ]),
    );
    expect(requests.filter((r) => !r.url.startsWith(`${withIde}/`))).toEqual([]);
  });
});
