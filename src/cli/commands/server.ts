// `offerplan serve` (the GraphQL API and its plan workers) and `offerplan worker`.
import type { Command } from "commander";
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
/* eslint-enable @typescript-eslint/no-require-imports */

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
    .option("--no-introspection", "turn schema introspection off")
    .option(
      "--import-root <dir>",
      "importDataset reads only below this directory (default $IMPORT_ROOT; unset = anywhere)",
      process.env.IMPORT_ROOT,
    )
    .action(
      async (o: {
        port?: number;
        host: string;
        workers: number;
        grace: number;
        introspection: boolean;
        importRoot?: string;
      }) => {
        const log = logger().createLogger("offerplan-api");
        const port = o.port ?? (process.env.PORT ? Number(process.env.PORT) : 4000);
        const running = await server().serve({
          port,
          host: o.host,
          workers: o.workers,
          graceMs: o.grace * 1000,
          introspection: o.introspection,
          importRoot: o.importRoot,
          log,
        });
        process.once("SIGTERM", () => void running.stop("SIGTERM"));
        process.once("SIGINT", () => void running.stop("SIGINT"));
        await running.stopped;
      },
    );

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
