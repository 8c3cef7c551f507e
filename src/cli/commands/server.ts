// `offerplan serve` (the GraphQL API and its plan workers) and `offerplan worker`.
import { InvalidArgumentError, type Command } from "commander";
import type * as App from "../../server/app";
import type * as RunWorker from "../../jobs/run-worker";
import type * as Logger from "../../server/logger";
import type * as Serve from "../../server/serve";
import { intOption } from "./options";

// The API (Apollo, Express) and the worker load only when `serve` or `worker` runs, not at the
// start of every other command (src/cli/main.ts).
/* eslint-disable @typescript-eslint/no-require-imports */
const runWorker = (): typeof RunWorker => require("../../jobs/run-worker");
const logger = (): typeof Logger => require("../../server/logger");
const server = (): typeof Serve => require("../../server/serve");
const app = (): typeof App => require("../../server/app");
/* eslint-enable @typescript-eslint/no-require-imports */

/** A whole-number setting from the environment, checked like the option it defaults. */
function envInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  if (!/^\d+$/.test(value.trim()))
    throw new Error(`${name} must be a whole number, got "${value}"`);
  return Number(value);
}

function rateOption(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value.trim())) throw new InvalidArgumentError("must be a number ≥ 0");
  return Number(value);
}

function envRate(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  if (!/^\d+(\.\d+)?$/.test(value.trim()))
    throw new Error(`${name} must be a number ≥ 0, got "${value}"`);
  return Number(value);
}

interface ServeOptions {
  port?: number;
  host: string;
  workers: number;
  grace: number;
  introspection?: boolean;
  ide?: boolean;
  importRoot?: string;
  maxCost?: number;
  maxRows?: number;
  requestTimeout?: number;
  rateLimit?: number;
  rateBurst?: number;
}

/** The API's limits: each option, else its environment variable, else the default. */
function limitsOf(o: ServeOptions) {
  const { DEFAULT_LIMITS } = app();
  return {
    maxCost: o.maxCost ?? envInt("API_MAX_COST", process.env.API_MAX_COST, DEFAULT_LIMITS.maxCost),
    maxRows: o.maxRows ?? envInt("API_MAX_ROWS", process.env.API_MAX_ROWS, DEFAULT_LIMITS.maxRows),
    requestTimeoutMs:
      o.requestTimeout ??
      envInt(
        "API_REQUEST_TIMEOUT_MS",
        process.env.API_REQUEST_TIMEOUT_MS,
        DEFAULT_LIMITS.requestTimeoutMs,
      ),
    rateLimitPerSecond:
      o.rateLimit ??
      envRate(
        "API_RATE_LIMIT_PER_S",
        process.env.API_RATE_LIMIT_PER_S,
        DEFAULT_LIMITS.rateLimitPerSecond,
      ),
    rateBurst:
      o.rateBurst ?? envInt("API_RATE_BURST", process.env.API_RATE_BURST, DEFAULT_LIMITS.rateBurst),
  };
}

async function serve(o: ServeOptions): Promise<void> {
  const log = logger().createLogger("offerplan-api");
  const port = o.port ?? (process.env.PORT ? Number(process.env.PORT) : 4000);
  const running = await server().serve({
    port,
    host: o.host,
    workers: o.workers,
    graceMs: o.grace * 1000,
    introspection: o.introspection,
    ide: o.ide,
    importRoot: o.importRoot,
    limits: limitsOf(o),
    log,
  });
  process.once("SIGTERM", () => void running.stop("SIGTERM"));
  process.once("SIGINT", () => void running.stop("SIGINT"));
  await running.stopped;
}

export function registerServerCommands(program: Command): void {
  program
    .command("serve")
    .description("run the GraphQL API (POST /graphql, GET /healthz, GET /readyz) and plan workers")
    .option("--port <n>", "port (0 = any free one; default $PORT or 4000)", intOption)
    .option("--host <host>", "address to listen on", process.env.HOST ?? "127.0.0.1")
    .option("--workers <n>", "plan worker processes", intOption, 2)
    // Help prints a default as given, not as parsed: options keep the unit their help names
    // (seconds here) and the action converts.
    .option("--grace <s>", "on shutdown, seconds a running plan may take to finish", intOption, 30)
    // Both forms, so that neither sets a default: without either, NODE_ENV decides (off in
    // production); `--no-introspection` alone would default to on and override it.
    .option("--introspection", "turn schema introspection on (default: unless NODE_ENV=production)")
    .option("--no-introspection", "turn schema introspection off")
    .option(
      "--ide",
      "serve GraphiQL at GET /graphql to browsers, from local files (default: when NODE_ENV=development)",
    )
    .option(
      "--import-root <dir>",
      "imports over the API read only below this directory (default $IMPORT_ROOT; unset = anywhere, and no imports when NODE_ENV=production)",
      process.env.IMPORT_ROOT,
    )
    .option(
      "--max-cost <n>",
      "objects a query may return, computed before it runs (default $API_MAX_COST or 20000)",
      intOption,
    )
    .option(
      "--max-rows <n>",
      "rows one request may read (default $API_MAX_ROWS or 20000)",
      intOption,
    )
    .option(
      "--request-timeout <ms>",
      "milliseconds a query may take (default $API_REQUEST_TIMEOUT_MS or 10000)",
      intOption,
    )
    .option(
      "--rate-limit <n>",
      "requests per second per API key, shared by all servers; 0 = off (default $API_RATE_LIMIT_PER_S or 50)",
      rateOption,
    )
    .option(
      "--rate-burst <n>",
      "requests one key may send at once (default $API_RATE_BURST or 200)",
      intOption,
    )
    .action(serve);

  program
    .command("worker")
    .description("run a plan worker: takes queued plans and optimises them")
    .option("--concurrency <n>", "plans at once in this process", intOption, 1)
    .option("--grace <s>", "on shutdown, seconds a running plan may take to finish", intOption, 30)
    .action(async (o: { concurrency: number; grace: number }) => {
      await runWorker().runWorkerProcess({
        concurrency: o.concurrency,
        graceMs: o.grace * 1000,
        log: logger().createLogger("offerplan-worker"),
      });
    });
}
