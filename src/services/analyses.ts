// Strategic analyses as stored runs: create (QUEUED, with its job when asked), execute
// (RUNNING → SUCCEEDED / FAILED), read back. The numbers come from src/optimize/analyses.ts; the
// points are written in one transaction that also marks the analysis SUCCEEDED.
import type { Pool } from "pg";
import { loadInstance, type LoadedInstance } from "../db/instance-loader";
import type { PrismaClient } from "../db/prisma";
import type { Analysis, AnalysisKind } from "../generated/prisma/client";
import { insertAnalysis } from "../db/analysis-create";
import type { Db } from "../db/handle";
import { enqueueAnalysisJob } from "../jobs/run-queue";
import {
  budgetFrontier,
  capacitySweep,
  offerMinimumCosts,
  type AnalysisOptions,
  type AnalysisPoint,
} from "../optimize/analyses";
import type { Instance, PlanConstraints } from "../optimize/instance";
import type { Disaggregation, Method } from "../optimize/types";
import { getVersion } from "./constraint-sets";
import { InputError } from "./errors";
import { planConstraints } from "./plans";
import { runJob, RUN_TUNING } from "./run-job";
import { writeAnalysisPoints } from "../db/analysis-points";
import { todayUtc } from "../domain/dates";
import { storedAnalysisParameters } from "../domain/stored-parameters";
import { atMost, MAX_CAPACITY, MAX_CLUSTERS, MAX_MONEY } from "../domain/limits";

export const MAX_POINTS = 50;
/** Budgets in a frontier asked for by range without a count: enough to read it as a curve. */
const DEFAULT_POINTS = 10;

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
  const n = input.points ?? DEFAULT_POINTS;
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
  db: Db,
  kind: AnalysisKind,
  constraintSetVersionId: number,
  params: AnalysisParameters,
  opts: { requestedBy?: string; enqueue?: boolean } = {},
): Promise<Analysis> {
  const { prisma } = db;
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
  return db.tx(async (client) => {
    const a = await insertAnalysis(client, {
      kind,
      constraintSetVersionId,
      method: params.method,
      parameters: params,
      requestedBy: opts.requestedBy,
    });
    if (opts.enqueue) await enqueueAnalysisJob(client, a.id);
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
  const lifecycle = {
    signal: opts.signal,
    onProgress: opts.onProgress,
    progressEveryMs: RUN_TUNING.analysisProgressEveryMs,
  };
  return runJob(pool, "analysis", analysisId, lifecycle, async (run) => {
    const a = await prisma.analysis.findUniqueOrThrow({ where: { id: analysisId } });
    const params = { ...storedAnalysisParameters(a.parameters), method: a.method };
    const { definition } = await getVersion(prisma, a.constraintSetVersionId);
    const loaded = opts.loaded ?? (await loadInstance(pool));
    await run.checkpoint();
    const constraints = await planConstraints(pool, definition, loaded, todayUtc());
    run.progress("point 1");
    const options: AnalysisOptions = {
      method: params.method,
      clusters: params.clusters,
      disaggregation: params.disaggregation,
      seed: params.seed,
      // progress moves on per point; the phase names the point being computed
      onPoint: (done, total) =>
        run.progress(`point ${Math.min(done + 1, total)} of ${total}`, done / total),
      shouldStop: run.shouldStop,
    };
    const points = await pointsOf(a.kind, params, loaded.instance, constraints, options);
    await writeAnalysisPoints(pool, analysisId, points, run.runBy);
    return { points, loaded };
  });
}

function pointsOf(
  kind: AnalysisKind,
  params: AnalysisParameters,
  instance: Instance,
  constraints: PlanConstraints,
  options: AnalysisOptions,
): Promise<AnalysisPoint[]> {
  switch (kind) {
    case "BUDGET_FRONTIER":
      return budgetFrontier(instance, constraints, params.budgets ?? [], options);
    case "CAPACITY": {
      const k = instance.channelIds.indexOf(params.channelId ?? "");
      if (k < 0) throw new InputError("channelId", `unknown channel "${params.channelId}"`);
      return capacitySweep(instance, constraints, k, params.capacities ?? [], options);
    }
    case "OFFER_MINIMUMS":
      return offerMinimumCosts(instance, constraints, options);
  }
}
