// A plan worker: takes run-plan jobs off the queue, one at a time, and executes them with the
// same service the CLI uses. It runs in its own process (`offerplan worker`, or forked by
// `offerplan serve`), so a long optimisation never stalls the API's event loop.
//
// The loaded instance is kept between runs while no import has happened since: a what-if run
// on the same data skips the load (and reuses clusters when the method and its settings match).
import { run, type Runner, type Task } from "graphile-worker";
import type { Pool } from "pg";
import type { Logger } from "pino";
import type { LoadedInstance } from "../db/instance-loader";
import type { PrismaClient } from "../db/prisma";
import type { PlanResult } from "../optimize/types";
import {
  executePlan,
  PlanCancelledError,
  PlanInterruptedError,
  type RunPlanParameters,
} from "../services/plans";
import { executeAnalysis } from "../services/analyses";
import {
  queueLogger,
  RUN_ANALYSIS_TASK,
  RUN_PLAN_TASK,
  type RunAnalysisPayload,
  type RunPlanPayload,
} from "./plan-queue";

export interface WorkerOptions {
  pool: Pool;
  prisma: PrismaClient;
  log: Logger;
  /** plans at once in this process (default 1: the optimiser is single-threaded) */
  concurrency?: number;
  /** on stop, how long a running plan may take to finish before it is put back on the queue */
  graceMs?: number;
  pollIntervalMs?: number;
}

interface Cached {
  dataVersion: string;
  loaded: LoadedInstance;
  last?: { params: RunPlanParameters; result: PlanResult; planId: number };
}

export async function startWorker(opts: WorkerOptions): Promise<Runner> {
  const { pool, prisma, log } = opts;
  let cache: Cached | null = null;

  const dataVersion = async () =>
    String(
      (await pool.query<{ v: string | null }>("SELECT max(id)::text AS v FROM import_run")).rows[0]
        ?.v ?? "none",
    );

  const runPlan: Task = async (payload, helpers) => {
    const { planId } = payload as RunPlanPayload;
    const plog = log.child({ planId });
    const version = await dataVersion();
    if (cache?.dataVersion !== version) cache = null;
    const params = (await prisma.plan.findUnique({ where: { id: planId } }))
      ?.parameters as unknown as RunPlanParameters | undefined;
    // clusters depend on the data and the clustering settings only: a what-if (other constraints,
    // overrides, campaign date) on the same data reuses them
    const settings = (p: RunPlanParameters) =>
      JSON.stringify([p.method, p.clusters, p.seed, p.calibrationId ?? null]);
    const same = cache?.last && params && settings(cache.last.params) === settings(params);
    const started = Date.now();
    plog.info({ reuseInstance: cache !== null, reuseClusters: !!same }, "plan started");
    try {
      const done = await executePlan(pool, prisma, planId, {
        loaded: cache?.loaded,
        reuse: same ? cache?.last?.result : undefined,
        reusePlanId: same ? cache?.last?.planId : undefined,
        signal: helpers.abortSignal,
      });
      cache = {
        dataVersion: version,
        loaded: done.loaded,
        last: params ? { params, result: done.result, planId } : undefined,
      };
      plog.info({ seconds: (Date.now() - started) / 1000 }, "plan succeeded");
    } catch (e) {
      if (e instanceof PlanInterruptedError) {
        plog.warn("plan interrupted by shutdown; queued again");
        throw e; // graphile-worker retries the job
      }
      if (e instanceof PlanCancelledError) {
        plog.info("plan cancelled");
        return;
      }
      // The plan is FAILED with its message; a rerun would fail the same way.
      plog.error({ err: e }, "plan failed");
    }
  };

  const runAnalysis: Task = async (payload, helpers) => {
    const { analysisId } = payload as RunAnalysisPayload;
    const alog = log.child({ analysisId });
    const version = await dataVersion();
    if (cache?.dataVersion !== version) cache = null;
    const started = Date.now();
    alog.info({ reuseInstance: cache !== null }, "analysis started");
    try {
      const done = await executeAnalysis(pool, prisma, analysisId, {
        loaded: cache?.loaded,
        signal: helpers.abortSignal,
      });
      cache = { dataVersion: version, loaded: done.loaded, last: cache?.last };
      alog.info({ seconds: (Date.now() - started) / 1000 }, "analysis succeeded");
    } catch (e) {
      if (e instanceof PlanInterruptedError) {
        alog.warn("analysis interrupted by shutdown; queued again");
        throw e;
      }
      alog.error({ err: e }, "analysis failed");
    }
  };

  return run({
    pgPool: pool,
    concurrency: opts.concurrency ?? 1,
    noHandleSignals: true,
    pollInterval: opts.pollIntervalMs ?? 2000,
    gracefulShutdownAbortTimeout: opts.graceMs ?? 30_000,
    // Unbatched, graphile-worker fires a job's complete/fail without awaiting it, so a worker
    // stopping right after a run closed its pool first and the job stayed locked (4 hours) with
    // its plan QUEUED. Batched (even with no delay), shutdown waits for those writes.
    preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    logger: queueLogger(log),
    parsedCronItems: [],
    taskList: { [RUN_PLAN_TASK]: runPlan, [RUN_ANALYSIS_TASK]: runAnalysis },
  });
}
