// Strategic analyses as stored runs: create (QUEUED, with its job when asked), execute
// (RUNNING → SUCCEEDED / FAILED), read back. The numbers come from src/optimize/analyses.ts; the
// points are written in one transaction that also marks the analysis SUCCEEDED.
import type { Pool } from "pg";
import { claimRun, runnerId, watchRun } from "../db/heartbeat";
import { loadInstance, type LoadedInstance } from "../db/instance-loader";
import type { PrismaClient } from "../db/prisma";
import type { Analysis, AnalysisKind, Prisma } from "../generated/prisma/client";
import { enqueueAnalysisJob } from "../jobs/plan-queue";
import {
  budgetFrontier,
  capacitySweep,
  offerMinimumCosts,
  type AnalysisOptions,
  type AnalysisPoint,
} from "../optimize/analyses";
import { OptimizeStoppedError } from "../optimize/stop";
import type { Disaggregation, Method } from "../optimize/types";
import { getVersion } from "./constraint-sets";
import { InputError } from "./errors";
import { storedRunError } from "./run-errors";
import { planConstraints, PlanCancelledError, PlanInterruptedError } from "./plans";
import { todayUtc } from "../domain/dates";
import { atMost, MAX_CAPACITY, MAX_CLUSTERS, MAX_MONEY } from "../domain/limits";

export const MAX_POINTS = 50;

export interface AnalysisParameters {
  method: Method;
  clusters?: number;
  disaggregation?: Disaggregation;
  seed?: number;
  /** BUDGET_FRONTIER */
  budgets?: number[];
  /** CAPACITY */
  channelId?: string;
  capacities?: number[];
}

/** `budgets` given, or `points` evenly spaced budgets from `from` to `to`. */
export function budgetSeries(input: {
  budgets?: number[] | null;
  from?: number | null;
  to?: number | null;
  points?: number | null;
}): number[] {
  if (input.budgets?.length) return input.budgets;
  const { from, to } = input;
  const n = input.points ?? 10;
  if (from == null || to == null)
    throw new InputError("input.budgets", "give budgets, or from and to (and points)");
  if (!(from >= 0) || !(to > from)) throw new InputError("input.to", "must exceed from (>= 0)");
  if (to > MAX_MONEY) throw new InputError("input.to", atMost(MAX_MONEY));
  if (!Number.isInteger(n) || n < 2 || n > MAX_POINTS)
    throw new InputError("input.points", `must be a whole number from 2 to ${MAX_POINTS}`);
  return Array.from({ length: n }, (_, i) => from + ((to - from) * i) / (n - 1));
}

function checkSeries(values: number[] | undefined, field: string, max: number): void {
  if (!values?.length) throw new InputError(field, "must list at least one value");
  if (values.length > MAX_POINTS)
    throw new InputError(field, `at most ${MAX_POINTS} points in one analysis`);
  values.forEach((v, i) => {
    if (!Number.isFinite(v) || v < 0)
      throw new InputError(`${field}.${i}`, "must be a number >= 0");
    if (v > max) throw new InputError(`${field}.${i}`, atMost(max));
  });
}

export async function createAnalysis(
  prisma: PrismaClient,
  kind: AnalysisKind,
  constraintSetVersionId: number,
  params: AnalysisParameters,
  opts: { requestedBy?: string; enqueue?: boolean } = {},
): Promise<Analysis> {
  if (kind === "BUDGET_FRONTIER") checkSeries(params.budgets, "input.budgets", MAX_MONEY);
  if (kind === "CAPACITY") {
    checkSeries(params.capacities, "input.capacities", MAX_CAPACITY);
    const channel = await prisma.channel.findUnique({
      where: { externalId: params.channelId ?? "" },
    });
    if (!channel) throw new InputError("input.channelId", `unknown channel "${params.channelId}"`);
  }
  if (params.clusters != null && (params.clusters < 1 || params.clusters > MAX_CLUSTERS))
    throw new InputError("input.clusters", `must be from 1 to ${MAX_CLUSTERS}`);
  await getVersion(prisma, constraintSetVersionId);
  return prisma.$transaction(async (tx) => {
    const a = await tx.analysis.create({
      data: {
        kind,
        constraintSetVersionId,
        method: params.method,
        parameters: params as unknown as Prisma.InputJsonObject,
        requestedBy: opts.requestedBy,
      },
    });
    if (opts.enqueue) await enqueueAnalysisJob(tx, a.id);
    return a;
  });
}

export interface ExecuteAnalysisOptions {
  loaded?: LoadedInstance;
  signal?: AbortSignal;
  /** each phase as it starts ("load", "point 3 of 10") with the share done: the CLI's progress */
  onProgress?: (phase: string, progress: number) => void;
}

export async function executeAnalysis(
  pool: Pool,
  prisma: PrismaClient,
  analysisId: number,
  opts: ExecuteAnalysisOptions = {},
): Promise<{ points: AnalysisPoint[]; loaded: LoadedInstance }> {
  const me = await runnerId(pool);
  if (!(await claimRun(pool, "analysis", analysisId, me)))
    throw new Error(`analysis ${analysisId} is not queued`);
  // cancelAnalysis is seen while a point is being optimised (src/db/heartbeat.ts)
  const watch = watchRun("analysis", analysisId);
  const a = await prisma.analysis.findUniqueOrThrow({ where: { id: analysisId } });
  const params = a.parameters as unknown as AnalysisParameters;
  let phase = "load";
  let done = 0;
  const setPhase = (next: string, progress?: number) => {
    phase = next;
    done = progress ?? done;
    opts.onProgress?.(next, done);
    void pool
      .query(
        `UPDATE analysis SET phase = $2, progress = COALESCE($3, progress)
         WHERE id = $1 AND status = 'RUNNING' AND run_by = $4`,
        [analysisId, next, progress ?? null, me],
      )
      .catch(() => undefined);
  };
  try {
    const { definition } = await getVersion(prisma, a.constraintSetVersionId);
    const loaded = opts.loaded ?? (await loadInstance(pool));
    if (opts.signal?.aborted) throw new PlanInterruptedError(`analysis ${analysisId}: stopping`);
    const { instance } = loaded;
    const constraints = await planConstraints(pool, definition, loaded, todayUtc());
    setPhase("point 1");
    const run: AnalysisOptions = {
      method: params.method,
      clusters: params.clusters,
      disaggregation: params.disaggregation,
      seed: params.seed,
      // progress moves on per point; the phase names the point being computed
      onPoint: (done, total) =>
        setPhase(`point ${Math.min(done + 1, total)} of ${total}`, done / total),
      shouldStop: () => watch.cancelled() || opts.signal?.aborted === true,
    };
    let points: AnalysisPoint[];
    switch (a.kind) {
      case "BUDGET_FRONTIER":
        points = await budgetFrontier(instance, constraints, params.budgets ?? [], run);
        break;
      case "CAPACITY": {
        const k = instance.channelIds.indexOf(params.channelId ?? "");
        if (k < 0) throw new InputError("channelId", `unknown channel "${params.channelId}"`);
        points = await capacitySweep(instance, constraints, k, params.capacities ?? [], run);
        break;
      }
      case "OFFER_MINIMUMS":
        points = await offerMinimumCosts(instance, constraints, run);
        break;
    }
    await writePoints(pool, analysisId, points, me);
    return { points, loaded };
  } catch (caught) {
    let e = caught;
    if (e instanceof OptimizeStoppedError)
      e = watch.cancelled()
        ? new PlanCancelledError(`analysis ${analysisId} was cancelled`)
        : new PlanInterruptedError(`analysis ${analysisId}: stopping`);
    // cancelled: the row already says so, and nothing was written
    if (e instanceof PlanCancelledError) throw e;
    if (e instanceof PlanInterruptedError) {
      await prisma.analysis.updateMany({
        where: { id: analysisId, status: "RUNNING", runBy: me },
        data: { status: "QUEUED", progress: 0, startedAt: null, phase: null, runBy: null },
      });
      throw e;
    }
    const stored = storedRunError(e);
    await prisma.analysis.updateMany({
      where: { id: analysisId, status: "RUNNING", runBy: me },
      data: {
        status: "FAILED",
        error: stored.message,
        finishedAt: new Date(),
        failedInPhase: phase,
        phase: null,
        progress: 0,
      },
    });
    throw e;
  } finally {
    watch.release();
  }
}

async function writePoints(
  pool: Pool,
  id: number,
  points: AnalysisPoint[],
  runBy: string,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(
      `INSERT INTO analysis_point (analysis_id, point_index, label, parameter, value, expected_return,
         cost, roi, contacts, upper_bound, gap, dual, marginal_return, below_hurdle, constraint_report)
       SELECT $1, i - 1, p.label, p.parameter, p.value, p."expectedReturn", p.cost, p.roi, p.contacts,
              p."upperBound", p.gap, p.dual, p."marginalReturn", p."belowHurdle", p."constraintReport"
       FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(j, i),
            jsonb_to_record(e.j) AS p(label text, parameter float8, value float8,
              "expectedReturn" float8, cost float8, roi float8, contacts int, "upperBound" float8,
              gap float8, dual float8, "marginalReturn" float8, "belowHurdle" boolean,
              "constraintReport" jsonb)`,
      [id, JSON.stringify(points, (_k, v: unknown) => (v === Infinity ? null : v))],
    );
    const done = await client.query(
      `UPDATE analysis SET status = 'SUCCEEDED', progress = 1, phase = NULL, finished_at = now(),
              run_by = NULL
       WHERE id = $1 AND status = 'RUNNING' AND run_by = $2`,
      [id, runBy],
    );
    if (done.rowCount !== 1) throw new Error(`analysis ${id} is no longer running`);
    await client.query("COMMIT");
  } catch (e) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
