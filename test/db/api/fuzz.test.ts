// Random read operations generated from the schema (selections, aliases, nesting, variables, page
// sizes, good and bad ids) against the real server with a VIEWER key. Whatever a client sends,
// the server answers without a 5xx or an internal error, never returns more rows than the row
// cap, never takes longer than the time cap, and its memory stays bounded. Seeded: a failure
// names the seed and the operation, and FUZZ_SEED=<seed> replays the same sequence.
import { readFileSync, writeFileSync } from "node:fs";
import {
  buildSchema,
  getNamedType,
  getNullableType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputType,
  type GraphQLObjectType,
} from "graphql";
import { importDataset } from "../../../src/ingest";
import { Random } from "../../../src/generate/prng";
import { SCHEMA_FILE } from "../../../src/server/app";
import {
  createApiKeyInDatabase,
  postGraphQL,
  startApiServer,
  type ApiServer,
} from "../../support/api-server";
import { createTestDatabase, type TestDatabase } from "../../support/db";
import { generatedDataset, ok, pollPlan, type GeneratedDataset } from "./helpers";

const SEED = Number(process.env.FUZZ_SEED ?? 20261204);
const OPERATIONS = Number(process.env.FUZZ_OPERATIONS ?? 2000);
const CONCURRENCY = 4;
// Small caps, so that the random pages reach them on a small dataset.
const MAX_ROWS = 1200;
const MAX_COST = 20_000;
const TIMEOUT_MS = 3000;
/** answering a refusal, and a loaded 2-core machine, on top of the time cap */
const TIME_MARGIN_MS = 1500;
const MAX_RSS_MB = 600;

let db: TestDatabase;
let server: ApiServer;
let data: GeneratedDataset;
let viewer: string;
let planId: string;
let setId: string;
let versionId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  let admin: string;
  [data, server, { secret: admin }, { secret: viewer }] = await Promise.all([
    generatedDataset(1500, 3),
    startApiServer({
      databaseUrl: db.url,
      workers: 1,
      extraArgs: [
        "--max-rows",
        String(MAX_ROWS),
        "--max-cost",
        String(MAX_COST),
        "--request-timeout",
        String(TIMEOUT_MS),
        // thousands of requests from one key: the rate limit has its own test
        "--rate-limit",
        "0",
      ],
    }),
    createApiKeyInDatabase(db.url, "ADMIN", "fuzz admin"),
    createApiKeyInDatabase(db.url, "VIEWER", "fuzz viewer"),
  ]);
  await importDataset(db.pool, data.dir);
  const { createConstraintSet } = ok(
    await server.gql<{
      createConstraintSet: { constraintSet: { id: string }; version: { id: string } };
    }>(
      `mutation ($input: ConstraintSetInput!) {
        createConstraintSet(input: $input) { constraintSet { id } version { id } }
      }`,
      { input: data.constraints },
      admin,
    ),
  );
  setId = createConstraintSet.constraintSet.id;
  versionId = createConstraintSet.version.id;
  planId = ok(
    await server.gql<{ runPlan: { id: string } }>(
      `mutation ($id: ID!) { runPlan(input: { constraintSetId: $id }) { id } }`,
      { id: setId },
      admin,
    ),
  ).runPlan.id;
  await pollPlan(server, admin, planId);
});

afterAll(async () => {
  await server?.stop();
  await db?.drop();
  await data?.remove();
});

/** One random operation: its text and variables. */
interface Operation {
  query: string;
  variables: Record<string, unknown>;
}

class OperationGenerator {
  private readonly schema = buildSchema(readFileSync(SCHEMA_FILE, "utf8"));
  private vars: { name: string; type: string; value: unknown }[] = [];
  private aliases = 0;

  constructor(
    private readonly rnd: Random,
    private readonly ids: () => string[],
  ) {}

  private chance(p: number): boolean {
    return this.rnd.next() < p;
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[this.rnd.below(xs.length)]!;
  }

  operation(): Operation {
    this.vars = [];
    this.aliases = 0;
    const root = this.schema.getQueryType()!;
    const body = this.selection(root, 0, 1 + this.rnd.below(3));
    const defs = this.vars.length
      ? `(${this.vars.map((v) => `$${v.name}: ${v.type}`).join(", ")})`
      : "";
    return {
      query: `query${defs} { ${body} }`,
      variables: Object.fromEntries(this.vars.map((v) => [v.name, v.value])),
    };
  }

  /** `count` fields of `type`, nested at most to a random depth. */
  private selection(type: GraphQLObjectType, depth: number, count: number): string {
    const fields = Object.values(type.getFields());
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      let f = this.pick(fields);
      // datasetSummary aggregates the whole eligible_option view (about 1.5 s a call here, most of
      // a run's time when drawn as often as the rest): drawn rarely, so a run stays near a minute.
      while (f.name === "datasetSummary" && this.chance(0.9)) f = this.pick(fields);
      const named = getNamedType(f.type);
      // Mostly valid aliases; now and then more than the alias limit allows.
      const alias = this.chance(0.15) && this.aliases++ < 25 ? `a${this.aliases}: ` : "";
      const args = f.args
        .map((a) => this.argument(a))
        .filter((a): a is string => a !== null)
        .join(", ");
      const head = `${alias}${f.name}${args ? `(${args})` : ""}`;
      if (!isCompositeType(named)) {
        out.push(head);
        continue;
      }
      if (!isObjectType(named)) continue;
      // Deep nesting now and then past the depth limit, which must be refused, not crash.
      const deeper = depth < 11 && (depth < 3 || this.chance(0.6));
      const inner = deeper
        ? this.selection(named, depth + 1, 1 + this.rnd.below(3))
        : this.leaf(named);
      out.push(`${head} { ${inner || "__typename"} }`);
    }
    return out.join(" ");
  }

  private leaf(type: GraphQLObjectType): string {
    const scalar = Object.values(type.getFields()).find(
      (f) => !isCompositeType(getNamedType(f.type)) && f.args.length === 0,
    );
    return scalar?.name ?? "__typename";
  }

  private argument(a: GraphQLArgument): string | null {
    const required = isNonNullType(a.type);
    if (!required && !this.chance(a.name === "first" ? 0.8 : 0.3)) return null;
    const value = this.value(a.name, a.type);
    if (value === undefined) return null;
    if (this.chance(0.5)) {
      const name = `v${this.vars.length}`;
      this.vars.push({ name, type: String(a.type), value });
      return `${a.name}: $${name}`;
    }
    return `${a.name}: ${literal(value)}`;
  }

  private value(name: string, type: GraphQLInputType): unknown {
    const t = getNullableType(type);
    if (isListType(t)) {
      const n = this.rnd.below(3);
      return Array.from({ length: n }, () => this.value(name, t.ofType));
    }
    if (isEnumType(t)) return { enum: this.pick(t.getValues()).name };
    if (isInputObjectType(t)) {
      const obj: Record<string, unknown> = {};
      for (const f of Object.values(t.getFields()))
        if (isNonNullType(f.type) || this.chance(0.3)) obj[f.name] = this.value(f.name, f.type);
      return obj;
    }
    if (!isScalarType(t)) return undefined;
    switch (t.name) {
      case "Int":
        return name === "first"
          ? this.pick([0, 1, 5, 20, 100, 500, 1000, 1000, 1001, -1])
          : this.pick([0, 1, 3, -1, 100]);
      case "Float":
        return this.pick([0, 0.5, 1, -1, 1e9]);
      case "Boolean":
        return this.chance(0.5);
      case "ID":
        return this.pick(this.ids());
      case "String":
        return this.pick(["", "mass", "affluent", "garbage", "eyJ4IjoxfQ", "[1,2]"]);
      default:
        return undefined;
    }
  }
}

/** A value as a GraphQL literal (enums are marked so they are not quoted). */
function literal(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(literal).join(", ")}]`;
  if (v && typeof v === "object") {
    if ("enum" in v) return String((v as { enum: string }).enum);
    return `{ ${Object.entries(v)
      .map(([k, x]) => `${k}: ${literal(x)}`)
      .join(", ")} }`;
  }
  return JSON.stringify(v);
}

/** Enum values travel as their names in variables. */
function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === "object") {
    if ("enum" in v) return (v as { enum: string }).enum;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

/** Elements of every list in a response: the rows it carries. */
function rowsIn(v: unknown): number {
  if (Array.isArray(v)) return v.length + v.reduce((n: number, x) => n + rowsIn(x), 0);
  if (v && typeof v === "object")
    return Object.values(v).reduce((n: number, x) => n + rowsIn(x), 0);
  return 0;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  return kb ? Number(kb[1]) / 1024 : 0;
}

it(`answers ${OPERATIONS} random operations within every limit (seed ${SEED})`, async () => {
  const rnd = new Random(SEED);
  const ids = () => [planId, planId, setId, versionId, "C0000001", "C0000042", "1", "999999", "x"];
  const gen = new OperationGenerator(rnd, ids);
  const ops = Array.from({ length: OPERATIONS }, () => gen.operation());
  const codes = new Map<string, number>();
  const statuses = new Map<number, number>();
  const problems: string[] = [];
  let slowest = 0;
  let mostRows = 0;
  let maxRss = rssMb(server.pid);
  const started = Date.now();

  const timings: [number, string][] = [];
  let next = 0;
  const worker = async () => {
    while (next < ops.length) {
      const i = next++;
      const op = ops[i]!;
      const t0 = Date.now();
      const res = await postGraphQL<unknown>(
        server.url,
        op.query,
        plain(op.variables) as Record<string, unknown>,
        viewer,
      );
      const ms = Date.now() - t0;
      if (process.env.FUZZ_TIMINGS) timings.push([ms, op.query]);
      slowest = Math.max(slowest, ms);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      for (const e of res.errors ?? []) {
        const code = String(e.extensions?.code);
        codes.set(code, (codes.get(code) ?? 0) + 1);
        if (code === "INTERNAL_SERVER_ERROR")
          problems.push(`#${i} internal error: ${e.message}\n  ${op.query}`);
      }
      const rows = rowsIn(res.data);
      mostRows = Math.max(mostRows, rows);
      if (res.status >= 500 && !res.errors?.some((e) => e.extensions?.code === "REQUEST_TIMEOUT"))
        problems.push(`#${i} HTTP ${res.status}\n  ${op.query}`);
      if (rows > MAX_ROWS) problems.push(`#${i} ${rows} rows\n  ${op.query}`);
      if (ms > TIMEOUT_MS + TIME_MARGIN_MS) problems.push(`#${i} took ${ms} ms\n  ${op.query}`);
      if (i % 100 === 0) maxRss = Math.max(maxRss, rssMb(server.pid));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  maxRss = Math.max(maxRss, rssMb(server.pid));

  console.log(
    `fuzz seed ${SEED}: ${OPERATIONS} operations in ${Date.now() - started} ms; slowest ` +
      `${slowest} ms; most rows ${mostRows}; server RSS up to ${Math.round(maxRss)} MB; ` +
      `HTTP ${JSON.stringify(Object.fromEntries(statuses))}; ` +
      `errors ${JSON.stringify(Object.fromEntries(codes))}`,
  );
  if (process.env.FUZZ_TIMINGS)
    writeFileSync(
      process.env.FUZZ_TIMINGS,
      timings
        .sort((x, y) => y[0] - x[0])
        .map(([ms, q]) => `${ms}\t${q}`)
        .join("\n"),
    );
  expect(problems.slice(0, 10)).toEqual([]);
  expect(maxRss).toBeLessThan(MAX_RSS_MB);
  // The generator has to reach the interesting answers, or it tests nothing.
  expect(statuses.get(200) ?? 0).toBeGreaterThan(OPERATIONS / 4);
  expect(codes.get("GRAPHQL_VALIDATION_FAILED") ?? 0).toBeGreaterThan(0);
  expect(
    (codes.get("COST_LIMIT_EXCEEDED") ?? 0) + (codes.get("ROW_LIMIT_EXCEEDED") ?? 0),
  ).toBeGreaterThan(0);
});
