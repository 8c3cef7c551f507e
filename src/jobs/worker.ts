// A run worker: takes run-plan and run-analysis jobs off the queue and executes them with the
// same service the CLI uses. It runs in its own process (`offerplan worker`, or forked by
// `offerplan serve`), so a long optimisation never stalls the API's event loop.
//
// The loaded instance is kept between runs while the dataset revision stays the same: a run on
// the same data skips the load. Nothing else carries over from one run to the next (a plan is a
// function of its inputs); a run that should start from an earlier plan names it
// (warmStartFrom), and reads that plan's clusters and prices from the database.
import { run, type Runner, type Task } from "graphile-worker";
import type { Pool } from "pg";
import type { Logger } from "pino";
import type { LoadedInstance } from "../db/instance-loader";
import type { PrismaClient } from "../db/prisma";
import { currentRevisions } from "../db/revisions";
import { startRecoveryLoop } from "../services/recovery";
import { executePlan } from "../services/plans";
import { RunCancelledError, RunInterruptedError, type RunTable } from "../services/run-job";
import { executeAnalysis } from "../services/analyses";
import {
  queueLogger,
  RUN_ANALYSIS_TASK,
  RUN_PLAN_TASK,
  type RunAnalysisPayload,
  type RunPlanPayload,
} from "./run-queue";

/** A worker's defaults (`offerplan worker` and `serve` pass concurrency and grace of their own). */
export const WORKER_TUNING = {
  /**
   * Runs at once in one process: a run parallelises its own per-customer work (threads.ts) and
   * holds the main thread in its solves, so a second run would only wait on the first.
   */
  concurrency: 1,
  /**
   * New jobs are heard through LISTEN at once; polling only finds retries whose time has come and
   * jobs whose notification was lost to a reconnect, so every 2 s is prompt and cheap.
   */
  pollIntervalMs: 2000,
  /** On stop, how long a run may take to finish before it is aborted and queued again. */
  graceMs: 30_000,
  /**
   * Connections of a worker process: the run's queries, its progress writes (not awaited), the
   * queue's job fetches and the recovery sweep, each of which may hold one at the same time.
   */
  poolSize: 4,
} as const;

export interface WorkerOptions {
  pool: Pool;
  prisma: PrismaClient;
  log: Logger;
  /** runs at once in this process (default WORKER_TUNING.concurrency) */
  concurrency?: number;
  /** on stop, how long a running run may take to finish before it is put back on the queue */
  graceMs?: number;
  pollIntervalMs?: number;
}

export async function startWorker(opts: WorkerOptions): Promise<Runner> {
  const { pool, prisma, log } = opts;
  let cache: LoadedInstance | null = null;
  // the kept instance, if it is still the current data
  const current = async () => {
    const { dataset } = await currentRevisions(pool);
    if (cache?.revision !== dataset) cache = null;
    return cache ?? undefined;
  };

  /** A task that executes one kind of run, keeping the instance it loaded for the next. */
  const task =
    (
      kind: RunTable,
      idOf: (payload: unknown) => number,
      execute: typeof executePlan | typeof executeAnalysis,
    ): Task =>
    async (payload, helpers) => {
      const id = idOf(payload);
      const rlog = log.child({ [kind === "plan" ? "planId" : "analysisId"]: id });
      const loaded = await current();
      const started = Date.now();
      rlog.info({ reuseInstance: loaded !== undefined }, `${kind} started`);
      try {
        const done = await execute(pool, prisma, id, { loaded, signal: helpers.abortSignal });
        cache = done.loaded;
        rlog.info({ seconds: (Date.now() - started) / 1000 }, `${kind} succeeded`);
      } catch (e) {
        if (e instanceof RunInterruptedError) {
          rlog.warn(`${kind} interrupted by shutdown; queued again`);
          throw e; // graphile-worker retries the job
        }
        if (e instanceof RunCancelledError) {
          rlog.info(`${kind} cancelled`);
          return;
        }
        // The run is FAILED with its message; a rerun would fail the same way.
        rlog.error({ err: e }, `${kind} failed`);
      }
    };
  const runPlan = task("plan", (p) => (p as RunPlanPayload).planId, executePlan);
  const runAnalysis = task(
    "analysis",
    (p) => (p as RunAnalysisPayload).analysisId,
    executeAnalysis,
  );

  const stopRecovery = startRecoveryLoop(pool, log);
  const runner = await run({
    pgPool: pool,
    concurrency: opts.concurrency ?? WORKER_TUNING.concurrency,
    noHandleSignals: true,
    pollInterval: opts.pollIntervalMs ?? WORKER_TUNING.pollIntervalMs,
    gracefulShutdownAbortTimeout: opts.graceMs ?? WORKER_TUNING.graceMs,
    // Unbatched, graphile-worker fires a job's complete/fail without awaiting it, so a worker
    // stopping right after a run closed its pool first and the job stayed locked (4 hours) with
    // its plan QUEUED. Batched (even with no delay), shutdown waits for those writes.
    preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    logger: queueLogger(log),
    parsedCronItems: [],
    taskList: { [RUN_PLAN_TASK]: runPlan, [RUN_ANALYSIS_TASK]: runAnalysis },
  });
  void runner.promise.finally(stopRecovery);
  return runner;
}
