// `offerplan worker`: one plan-worker process (forked by `serve`, or run on its own to add
// capacity on another machine against the same database).
import type { Logger } from "pino";
import { openDatabase } from "../db/connection";
import { createPrisma } from "../db/prisma";
import { startWorker, WORKER_TUNING } from "./worker";

export async function runWorkerProcess(opts: {
  concurrency: number;
  graceMs: number;
  log: Logger;
}): Promise<void> {
  const db = await openDatabase({ poolSize: WORKER_TUNING.poolSize, log: (m) => opts.log.info(m) });
  const prisma = createPrisma(db.url);
  const runner = await startWorker({
    pool: db.pool,
    prisma,
    log: opts.log,
    concurrency: opts.concurrency,
    graceMs: opts.graceMs,
  });
  opts.log.info({ concurrency: opts.concurrency }, "worker ready");
  // SIGTERM from the server and the closing of its IPC channel often arrive together (both are
  // handled once a long synchronous solve yields): stop once, and never crash on the second.
  let stopping = false;
  const stop = (sig: string) => {
    if (stopping) return;
    stopping = true;
    opts.log.info({ signal: sig }, "worker stopping");
    runner.stop().catch((e: unknown) => opts.log.warn({ err: e }, "worker stop"));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  // Forked by `serve`: when the server is gone (even killed with SIGKILL), its IPC channel closes
  // and this worker stops like on SIGTERM, rather than run on unsupervised beside a new server's.
  // A 'disconnect' listener holds the IPC channel (and so the process) open: it is removed once the
  // worker has stopped, or the process would outlive its work until the server's SIGKILL.
  const onDisconnect = () => stop("parent gone");
  if (process.send) process.once("disconnect", onDisconnect);
  try {
    await runner.promise;
  } finally {
    process.removeListener("disconnect", onDisconnect);
    await prisma.$disconnect();
    await db.close();
    opts.log.info("worker stopped");
  }
}
