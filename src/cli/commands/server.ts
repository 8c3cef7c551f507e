// `offerplan serve` (the GraphQL API and its plan workers) and `offerplan worker`.
import type { Command } from "commander";
import { runWorkerProcess } from "../../jobs/run-worker";
import { createLogger } from "../../server/logger";
import { serve } from "../../server/serve";
import { intOption } from "./options";

function secondsOption(value: string): number {
  return intOption(value) * 1000;
}

export function registerServerCommands(program: Command): void {
  program
    .command("serve")
    .description("run the GraphQL API (POST /graphql, GET /healthz, GET /readyz) and plan workers")
    .option("--port <n>", "port (0 = any free one; default $PORT or 4000)", intOption)
    .option("--host <host>", "address to listen on", process.env.HOST ?? "127.0.0.1")
    .option("--workers <n>", "plan worker processes", intOption, 2)
    .option(
      "--grace <s>",
      "on shutdown, seconds a running plan may take to finish",
      secondsOption,
      30_000,
    )
    .option("--no-introspection", "turn schema introspection off")
    .option(
      "--import-root <dir>",
      "imports over the API read only below this directory (default $IMPORT_ROOT; unset = anywhere, and no imports when NODE_ENV=production)",
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
        const log = createLogger("offerplan-api");
        const port = o.port ?? (process.env.PORT ? Number(process.env.PORT) : 4000);
        const server = await serve({
          port,
          host: o.host,
          workers: o.workers,
          graceMs: o.grace,
          introspection: o.introspection,
          importRoot: o.importRoot,
          log,
        });
        process.once("SIGTERM", () => void server.stop("SIGTERM"));
        process.once("SIGINT", () => void server.stop("SIGINT"));
        await server.stopped;
      },
    );

  program
    .command("worker")
    .description("run a plan worker: takes queued plans and optimises them")
    .option("--concurrency <n>", "plans at once in this process", intOption, 1)
    .option(
      "--grace <s>",
      "on shutdown, seconds a running plan may take to finish",
      secondsOption,
      30_000,
    )
    .action(async (o: { concurrency: number; grace: number }) => {
      await runWorkerProcess({
        concurrency: o.concurrency,
        graceMs: o.grace,
        log: createLogger("offerplan-worker"),
      });
    });
}
