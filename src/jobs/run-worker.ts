// `offerplan worker`: one plan-worker process (forked by `serve`, or run on its own to add
// capacity on another machine against the same database).
import type { Logger } from "pino";
import { openDatabase } from "../db/connection";
import { createPrisma } from "../db/prisma";
import { startWorker } from "./worker";

export async function runWorkerProcess(opts: {
  concurrency: number;
  graceMs: number;
  log: Logger;
}): Promise<void> {
  const db = await openDatabase({ poolSize: 4, log: (m) => opts.log.info(m) });
  const prisma = createPrisma(db.url);
  const runner = await startWorker({
    pool: db.pool,
    prisma,
    log: opts.log,
    concurrency: opts.concurrency,
    graceMs: opts.graceMs,
  });
  opts.log.info({ concurrency: opts.concurrency }, "worker ready");
  const stop = (sig: string) => {
    opts.log.info({ signal: sig }, "worker stopping");
    void runner.stop();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  // Forked by `serve`: when the server is gone (even killed with SIGKILL), its IPC channel closes
  // and this worker stops like on SIGTERM, rather than run on unsupervised beside a new server's.
  if (process.send) process.once("disconnect", () => stop("parent gone"));
  try {
    await runner.promise;
  } finally {
    await prisma.$disconnect();
    await db.close();
    opts.log.info("worker stopped");
  }
}
