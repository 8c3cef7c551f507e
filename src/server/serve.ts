// `offerplan serve`: the API process plus its plan workers. Workers are child processes, so an
// optimisation (seconds of CPU at scale) never blocks the API's event loop, and a crashed worker
// is restarted without taking the API down.
//
// Shutdown (SIGTERM / SIGINT): readiness turns 503, the HTTP server finishes requests in flight,
// each worker lets its running plan finish within the grace period, or else stops it at the next
// checkpoint and puts it back on the queue (nothing of it is written); then the database closes.
import { startRecoveryLoop } from "../services/recovery";
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { Logger } from "pino";
import { openDatabase, type Database } from "../db/connection";
import { createPrisma } from "../db/prisma";
import { createApi, type ApiLimits } from "./app";

const BIN = path.join(__dirname, "..", "..", "bin", "offerplan.js");

export interface ServeOptions {
  port: number;
  host: string;
  workers: number;
  graceMs: number;
  introspection?: boolean;
  /** GraphiQL at GET /graphql for browsers (default: when NODE_ENV is development) */
  ide?: boolean;
  /** imports over the API read only below this directory */
  importRoot?: string;
  limits?: Partial<ApiLimits>;
  log: Logger;
}

export interface RunningServer {
  port: number;
  /** resolves when the server has stopped */
  stopped: Promise<void>;
  stop(reason: string): Promise<void>;
}

export async function serve(opts: ServeOptions): Promise<RunningServer> {
  const { log } = opts;
  const db: Database = await openDatabase({ poolSize: 10, log: (m) => log.info(m) });
  const prisma = createPrisma(db.url);
  let accepting = true;
  const api = await createApi({
    pool: db.pool,
    prisma,
    log,
    introspection: opts.introspection,
    ide: opts.ide,
    importRoot: opts.importRoot,
    limits: opts.limits,
    isAccepting: () => accepting,
  });
  const port = await api.listen(opts.port, opts.host);
  log.info({ port, host: opts.host, workers: opts.workers, limits: api.limits }, "listening");

  // also here, so that runs of dead workers are recovered while this server runs no workers itself
  const stopRecovery = startRecoveryLoop(db.pool, log);
  const children = new Set<ChildProcess>();
  const startWorker = (n: number) => {
    const child = fork(BIN, ["worker", "--grace", String(opts.graceMs / 1000)], {
      // Transparent huge pages for the worker's big typed arrays: first touches of fresh memory
      // dominate the load at scale on these VMs, and this cuts them about 3× (docs/performance.md).
      env: {
        GLIBC_TUNABLES: "glibc.malloc.hugetlb=1",
        ...process.env,
        DATABASE_URL: db.url,
      },
      stdio: "inherit",
    });
    children.add(child);
    child.on("exit", (code, signal) => {
      children.delete(child);
      if (!accepting) return;
      log.error({ worker: n, code, signal }, "worker exited; restarting");
      setTimeout(() => accepting && startWorker(n), 1000);
    });
  };
  for (let n = 0; n < opts.workers; n++) startWorker(n);

  let resolveStopped!: () => void;
  const stopped = new Promise<void>((r) => (resolveStopped = r));
  let stopping: Promise<void> | null = null;
  const stop = (reason: string) =>
    (stopping ??= (async () => {
      log.info({ reason }, "stopping");
      accepting = false;
      const exits = [...children].map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once("exit", () => resolve());
            c.kill("SIGTERM");
            // A worker deep in a synchronous solve answers at its next checkpoint; past the grace
            // period and a margin it is killed (its plan's transaction never committed).
            setTimeout(() => c.kill("SIGKILL"), opts.graceMs + 60_000).unref();
          }),
      );
      await Promise.all([api.close(), ...exits]);
      stopRecovery();
      await prisma.$disconnect();
      await db.close();
      log.info("stopped");
      resolveStopped();
    })());
  return { port, stopped, stop };
}
