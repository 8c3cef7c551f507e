// GraphQL API latency and throughput on a stored plan:
//   npm run bench:api -- [--customers 2500000] [--seed 1] [--connections 1,4,10] [--duration 10]
//     [--warmup 3] [--log-level info] [--fresh-plan] [--keep-log]
// The dataset comes from the imported database that bench/support.ts keeps between runs; the plan
// is optimised once into it (constraint set "api-bench") and reused by later runs unless
// --fresh-plan. The real server (`offerplan serve --workers 0`) answers on loopback while
// autocannon sends, for --duration seconds after a warm-up, at each number of concurrent
// connections (1 shows the time one request costs; more add queueing on this machine's cores):
//   (a) a plan's reports: KPIs, constraint report, offer × channel frequencies, channel
//       profitability (target p95 ≤ 50 ms);
//   (b) pages of 100 assignments with their customers, offers and channels, each request at a
//       cursor drawn from 500 random positions in the plan (target p95 ≤ 100 ms);
//   (c) the same with pages of 1,000, the largest page the API documents (target p95 ≤ 250 ms).
// Latency percentiles are computed from every response time, not autocannon's fixed set (which
// has no p95). Any non-200 status or GraphQL error counts as a failure.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { Pool } from "pg";
import { CLI_ACTOR } from "../src/db/audit";
import { migrate } from "../src/db/migrate";
import { createDb } from "../src/db/handle";
import { createPrisma } from "../src/db/prisma";
import { encodeCursor } from "../src/graphql/pagination";
import { createApiKey, revokeApiKey } from "../src/services/api-keys";
import { saveConstraintSetByName } from "../src/services/constraint-sets";
import { createPlan, executePlan } from "../src/services/plans";
import { argValue, benchDataset, importedDatabase } from "./support";

const BIN = join(__dirname, "..", "bin", "offerplan.js");
const PLAN_SET = "api-bench";

const REPORTS = `query Reports($id: ID!) {
  plan(id: $id) {
    id status
    kpis { expectedReturn cost roi contacts upperBound gap baselineExpectedReturn baselineCost
           contactsByChannel { channel { id } contacts } }
    constraintReport { name kind sense activity bound slack dual binding }
    offerChannelFrequencies { offer { id name } channel { id name } contacts share expectedReturn cost }
    channelProfitability { channel { id name } contacts expectedReturn cost profit roi }
  }
}`;

const PAGE = `query Page($id: ID!, $after: String, $first: Int!) {
  plan(id: $id) {
    assignments(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node {
        customer { id segment }
        offer { id }
        channel { id }
        expectedReturn cost group
      } }
    }
  }
}`;

interface Stats {
  scenario: string;
  connections: number;
  requests: number;
  "req/s": number;
  "p50 ms": number;
  "p95 ms": number;
  "p99 ms": number;
  "max ms": number;
  failures: number | string;
  target: string;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const customers = Number(argValue(argv, "customers", "2500000"));
  const seed = Number(argValue(argv, "seed", "1"));
  const connectionCounts = argValue(argv, "connections", "1,4,10").split(",").map(Number);
  const duration = Number(argValue(argv, "duration", "10"));
  const warmup = Number(argValue(argv, "warmup", "3"));
  const logLevel = argValue(argv, "log-level", "info");
  if (!Number.isSafeInteger(customers) || customers < 1)
    throw new Error("--customers must be a positive integer");

  const url = await importedDatabase(customers, seed);
  // The kept database may predate later migrations; the server would apply them anyway.
  await migrate(url);
  const dir = await benchDataset(customers, seed);
  const pool = new Pool({ connectionString: url, max: 2 });
  const prisma = createPrisma(url);
  let server: ChildProcess | null = null;
  let keyId: number | null = null;
  const logFile = join(tmpdir(), `offerplan-bench-api-${process.pid}.log`);
  try {
    const planId = await storedPlan(pool, prisma, dir, argv.includes("--fresh-plan"));
    const { rows } = await pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM plan_assignment WHERE plan_id = $1",
      [planId],
    );
    console.log(`plan ${planId}: ${rows[0]!.n.toLocaleString("en")} assignments`);
    const cursors = await randomCursors(pool, planId, 500);

    const created = await createApiKey(createDb(pool, prisma), "api-bench", "VIEWER", CLI_ACTOR);
    keyId = created.apiKey.id;
    const started = await startServer(url, logLevel, logFile);
    server = started.child;
    const base = started.base;
    console.log(`server on ${base} (log level ${logLevel}, log in ${logFile})`);

    const reportsBody = JSON.stringify({ query: REPORTS, variables: { id: String(planId) } });
    // Bodies made up front: the load generator shares the two cores with what it measures.
    const pagesOf = (first: number) =>
      cursors.map((after) =>
        JSON.stringify({ query: PAGE, variables: { id: String(planId), after, first } }),
      );
    const pageBodies = pagesOf(100);
    // the largest page the API documents, with a dashboard's selection (target p95 ≤ 250 ms)
    const bigPageBodies = pagesOf(1000);
    await check(base, created.secret, reportsBody, (d) => d.includes('"kpis":{'));
    await check(
      base,
      created.secret,
      pageBodies[1]!,
      (d) => (d.match(/"cursor"/g) ?? []).length === 100,
    );

    const load0 = loadavg()[0]!;
    const results: Stats[] = [];
    const scenarios: [string, string[], number][] = [
      ["(a) plan reports", [reportsBody], 50],
      ["(b) 100 assignments + customers", pageBodies, 100],
      ["(c) 1,000 assignments + customers", bigPageBodies, 250],
    ];
    const serverLog = new ServerLog(logFile, logLevel);
    for (const [name, bodies, target] of scenarios)
      for (const connections of connectionCounts) {
        const opts = { base, key: created.secret, connections, bodies };
        if (warmup > 0) await measure({ ...opts, duration: warmup });
        await serverLog.skip();
        const m = await measure({ ...opts, duration });
        const logged = await serverLog.errors();
        const failures = m.failures + (logged ?? 0);
        const p95 = percentile(m.latencies, 0.95);
        results.push({
          scenario: name,
          connections,
          requests: m.latencies.length,
          "req/s": Math.round(m.latencies.length / m.seconds),
          "p50 ms": round(percentile(m.latencies, 0.5)),
          "p95 ms": round(p95),
          "p99 ms": round(percentile(m.latencies, 0.99)),
          "max ms": round(m.latencies[m.latencies.length - 1] ?? NaN),
          failures: logged === null ? `${failures} (HTTP only)` : failures,
          target: `p95 ≤ ${target} ms: ${p95 <= target && failures === 0 ? "met" : "MISSED"}`,
        });
      }
    console.log(
      `\n${customers.toLocaleString("en")} customers, ` +
        `${duration} s per scenario after ${warmup} s warm-up; load average ` +
        `${load0.toFixed(1)} → ${loadavg()[0]!.toFixed(1)} on ${process.platform}`,
    );
    console.table(results);
  } finally {
    if (server) await stopServer(server);
    if (!argv.includes("--keep-log")) await rm(logFile, { force: true });
    if (keyId !== null)
      await revokeApiKey(createDb(pool, prisma), keyId, CLI_ACTOR).catch(() => undefined);
    await prisma.$disconnect();
    await pool.end();
  }
}

/** The bench's plan in the kept database: the last one that succeeded, or a new one. */
async function storedPlan(
  pool: Pool,
  prisma: ReturnType<typeof createPrisma>,
  dir: string,
  fresh: boolean,
): Promise<number> {
  if (!fresh) {
    const existing = await prisma.plan.findFirst({
      where: { status: "SUCCEEDED", constraintSetVersion: { constraintSet: { name: PLAN_SET } } },
      orderBy: { id: "desc" },
    });
    if (existing) return existing.id;
  }
  const def = JSON.parse(await readFile(join(dir, "constraints.json"), "utf8")) as object;
  const { versionId } = await saveConstraintSetByName(createDb(pool, prisma), {
    ...def,
    name: PLAN_SET,
  });
  const { id } = await createPlan(createDb(pool, prisma), versionId, {
    method: "CLUSTER_LP",
    seed: 1,
  });
  process.stdout.write(`optimising plan ${id} (once; later runs reuse it) … `);
  const t0 = performance.now();
  await executePlan(pool, prisma, id);
  await pool.query(`ANALYZE plan_assignment_p${id}`);
  console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return id;
}

/** Cursors at random rows of the plan, plus the first page. */
async function randomCursors(pool: Pool, planId: number, n: number): Promise<(string | null)[]> {
  const { rows } = await pool.query<{ customer_id: number; offer_id: number }>(
    `SELECT customer_id, offer_id FROM plan_assignment WHERE plan_id = $1
     ORDER BY random() LIMIT $2`,
    [planId, n - 1],
  );
  return [null, ...rows.map((r) => encodeCursor("CUSTOMER:ASC", [r.customer_id, r.offer_id]))];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * The server writes its log to a file: a pipe to this process, busy driving autocannon, could
 * fill up and stall the server's synchronous log writes.
 */
async function startServer(url: string, logLevel: string, logFile: string) {
  const port = await freePort();
  const out = openSync(logFile, "w");
  const child = spawn(
    process.execPath,
    // The benchmark measures throughput, which the per-key rate limit would cap.
    [
      BIN,
      "serve",
      "--port",
      String(port),
      "--workers",
      "0",
      "--host",
      "127.0.0.1",
      "--rate-limit",
      "0",
    ],
    {
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: logLevel, NODE_ENV: "production" },
      stdio: ["ignore", out, "inherit"],
    },
  );
  closeSync(out);
  const base = `http://127.0.0.1:${port}`;
  const until = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`server exited (${child.exitCode}); see ${logFile}`);
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) return { child, base };
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`server not ready after 60 s; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

async function check(base: string, key: string, body: string, good: (raw: string) => boolean) {
  const res = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body,
  });
  const raw = await res.text();
  if (res.status !== 200 || raw.includes('"errors"') || !good(raw))
    throw new Error(`unexpected answer (HTTP ${res.status}): ${raw.slice(0, 500)}`);
}

async function measure(o: {
  base: string;
  key: string;
  connections: number;
  duration: number;
  bodies: string[];
}): Promise<{ latencies: number[]; seconds: number; failures: number }> {
  const latencies: number[] = [];
  let next = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${o.base}/graphql`,
        connections: o.connections,
        duration: o.duration,
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${o.key}` },
        body: o.bodies[0],
        // Rotating bodies only where there are several; a fixed one autocannon encodes once.
        requests:
          o.bodies.length > 1
            ? [
                {
                  method: "POST",
                  setupRequest: (req) => ({ ...req, body: o.bodies[next++ % o.bodies.length] }),
                },
              ]
            : undefined,
      },
      (err: Error | null, res: autocannon.Result) => (err ? reject(err) : resolve(res)),
    );
    instance.on("response", (_client, _status, _bytes, ms) => latencies.push(ms));
  });
  latencies.sort((a, b) => a - b);
  return { latencies, seconds: result.duration, failures: result.non2xx + result.errors };
}

/**
 * GraphQL errors arrive with HTTP 200; rather than have the load generator parse every body,
 * they are counted from the server's own log line per operation (level info and below).
 */
class ServerLog {
  private offset = 0;
  constructor(
    private readonly file: string,
    private readonly level: string,
  ) {}

  private async lines(): Promise<string[]> {
    const text = await readFile(this.file, "utf8");
    const fresh = text.slice(this.offset, text.lastIndexOf("\n") + 1);
    this.offset += fresh.length;
    return fresh.split("\n").filter(Boolean);
  }

  async skip(): Promise<void> {
    await this.lines();
  }

  /** operations that ended in errors since the last call; null when the log cannot tell */
  async errors(): Promise<number | null> {
    const lines = await this.lines();
    if (!["trace", "debug", "info"].includes(this.level)) return null;
    return lines.filter((l) => {
      if (!l.startsWith("{")) return false;
      const entry = JSON.parse(l) as { msg?: string; errors?: unknown[] };
      return entry.msg === "graphql" && (entry.errors?.length ?? 0) > 0;
    }).length;
  }
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
