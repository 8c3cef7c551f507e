// Plan runs: create (QUEUED), execute (RUNNING → SUCCEEDED / FAILED), read back. The CLI runs a
// plan in its own process; the GraphQL API queues the same execution on a job worker.
import { CLI_ACTOR, recordAudit, type Actor } from "../db/audit";
import { withOverrides } from "./overrides";

export { withOverrides };
import { writeSync } from "node:fs";
import type { Pool, PoolClient } from "pg";
import type { Db } from "../db/handle";
import {
  insertPlan,
  lastPlanNumber,
  lockConstraintSetForNumbering,
  newestPlainSucceeded,
  versionOfPlan,
} from "../db/plan-create";
import type { PrismaClient } from "../db/prisma";
import { loadInstance, type LoadedInstance } from "../db/instance-loader";
import { succeededPlanRevision } from "../db/plan-reads";
import { writePlanResult, type FailpointHook, type PlanRowsInput } from "../db/plan-writer";
import { resolveConstraints } from "./resolve-constraints";
import { hasPolicies, resolvePolicies } from "../domain/resolve-policies";
import { loadPolicies } from "../db/policy-facts";
import { addDays, isCampaignDate, todayUtc } from "../domain/dates";
import { currentRevisions, type Revisions } from "../db/revisions";
import { cancelPlanRun } from "../db/runs";
import { replayBlocker } from "../domain/replay";
import { storedPlanParameters } from "../domain/stored-parameters";
export { replayBlocker } from "../domain/replay";
import { loadWarmStart } from "../db/warm-start";
import { softwareVersion } from "../domain/software-version";
import { expandCalendar, type Calendar, type Wave } from "../optimize/calendar";
import type { ConstraintSetDefinition } from "../domain/constraint-set";
import { optimize } from "../optimize/optimize";
import type { Disaggregation, Method, PlanResult, ProportionRow, Reuse } from "../optimize/types";
import type { Instance, PlanConstraints } from "../optimize/instance";
import { enqueuePlanJob, removePlanJob } from "../jobs/run-queue";
import type { Plan } from "../generated/prisma/client";
import { calibrateInstance } from "../results";
import { getVersion } from "./constraint-sets";
import { checkRunInput } from "./plan-input-checks";
import { ConflictError, InputError, NotFoundError } from "./errors";
import { runJob, RUN_TUNING } from "./run-job";
import { checkThreads, runThreads } from "./threads";
import {
  calibrationFactors,
  checkResultParameters,
  holdOut,
  type Holdout,
  type ResultRunParameters,
} from "./results";

export interface RunPlanParameters extends ResultRunParameters {
  /**
   * A what-if: fields of the constraint-set JSON that replace the version's for this run only
   * (no new version is made); the plan is marked as a scenario.
   */
  overrides?: Record<string, unknown>;
  method: Method;
  /** yyyy-mm-dd the contacts go out; contact policies count history before it (default: today, UTC) */
  campaignDate?: string;
  clusters?: number;
  disaggregation?: Disaggregation;
  seed?: number;
  /**
   * Start from this SUCCEEDED plan's clusters and prices, with fewer passes: faster for a what-if
   * next to a solved plan, and an input like any other (a run without it never depends on what
   * ran before it).
   */
  warmStartFrom?: number;
  /**
   * Threads for the per-customer work (default: every core of the machine running it, at most
   * threads.ts's cap). A run detail, not an input: any count gives the same plan.
   */
  threads?: number;
}

export interface CreatedPlan {
  id: number;
  versionNumber: number;
  /** the row as created (QUEUED): a worker may have claimed it by the time the caller looks */
  row: Plan;
}

export interface CreatePlanOptions {
  /** who asked: an API key's name, or "cli" */
  requestedBy?: string;
  /** who asked, for the audit trail and the approval rule (default: the command line) */
  actor?: Actor;
  /** what the plan's users call it, and why it was run */
  name?: string;
  notes?: string;
  /** also put a job on the queue, in the same transaction (the API's path) */
  enqueue?: boolean;
  /** the plan this run replays (plan.replay_of) */
  replayOf?: number;
  /**
   * A what-if's base, the plan it varies: a plan of the same constraint-set version. Default: the
   * newest SUCCEEDED plain run of that version when the what-if is asked for.
   */
  basePlanId?: number;
}

/** A QUEUED plan numbered 1, 2, 3 … within its constraint set. */
export async function createPlan(
  db: Db,
  constraintSetVersionId: number,
  params: RunPlanParameters,
  opts: CreatePlanOptions = {},
): Promise<CreatedPlan> {
  const { prisma } = db;
  const version = await getVersion(prisma, constraintSetVersionId);
  if (params.overrides) withOverrides(version.definition, params.overrides);
  checkThreads(params.threads);
  await checkRunInput(prisma, params, version.definition);
  await checkResultParameters(prisma, params);
  if (params.warmStartFrom !== undefined) await checkWarmStart(prisma, params);
  // the date is fixed when the plan is asked for: a queued plan runs against the same history
  if (params.campaignDate !== undefined && !isCampaignDate(params.campaignDate)) {
    throw new InputError("input.campaignDate", `"${params.campaignDate}" is not a yyyy-mm-dd date`);
  }
  params = { ...params, campaignDate: params.campaignDate ?? todayUtc() };
  return db.tx(async (client) => {
    await lockConstraintSetForNumbering(client, version.constraintSetId);
    const last = await lastPlanNumber(client, version.constraintSetId);
    const basePlanId = await basePlanOf(client, constraintSetVersionId, params, opts.basePlanId);
    const plan = await insertPlan(client, {
      constraintSetVersionId,
      basePlanId,
      versionNumber: last + 1,
      method: params.method,
      parameters: params,
      scenario: params.overrides !== undefined,
      requestedBy: opts.requestedBy,
      requestedByKeyId: opts.actor?.keyId ?? null,
      name: opts.name,
      notes: opts.notes,
      replayOfId: opts.replayOf,
    });
    await recordAudit(client, {
      actor: opts.actor ?? CLI_ACTOR,
      action: "plan.run",
      subjectType: "plan",
      subjectId: plan.id,
      after: { constraintSetVersionId, method: params.method, name: opts.name ?? null },
    });
    if (opts.enqueue) await enqueuePlanJob(client, plan.id);
    return { id: plan.id, versionNumber: plan.versionNumber, row: plan };
  });
}

/**
 * The plan a what-if varies, checked when named; null for a plain run or when its version has no
 * SUCCEEDED plain run yet.
 */
async function basePlanOf(
  client: PoolClient,
  versionId: number,
  params: RunPlanParameters,
  named: number | undefined,
): Promise<number | null> {
  if (named === undefined) {
    if (params.overrides === undefined) return null;
    return newestPlainSucceeded(client, versionId);
  }
  if (params.overrides === undefined)
    throw new InputError("input.basePlanId", "a base plan is for a what-if: give overrides too");
  const baseVersion = await versionOfPlan(client, named);
  if (baseVersion === undefined)
    throw new InputError("input.basePlanId", `plan ${named} does not exist`);
  if (baseVersion !== versionId)
    throw new InputError(
      "input.basePlanId",
      `plan ${named} ran constraint-set version ${baseVersion}, not ${versionId}: a what-if varies a plan of its own version`,
    );
  return named;
}

/**
 * A new plan with a SUCCEEDED plan's recorded inputs (version, parameters, campaign date, warm
 * start). Refused when the data it read has changed since: a replay could not reproduce it, and
 * saying so is the point.
 */
export async function replayPlan(
  db: Db,
  planId: number,
  opts: Omit<CreatePlanOptions, "replayOf"> = {},
): Promise<CreatedPlan> {
  const plan = await db.prisma.plan.findUnique({ where: { id: planId } });
  if (!plan) throw new NotFoundError(`plan ${planId} does not exist`);
  if (plan.status !== "SUCCEEDED")
    throw new ConflictError(
      `plan ${planId} is ${plan.status}; only a SUCCEEDED plan can be replayed`,
    );
  const now = await currentRevisions(db.pool);
  const problem = replayBlocker(plan, now);
  if (problem) throw new ConflictError(`plan ${planId} cannot be replayed: ${problem}`);
  // threads are the replaying machine's: they never change the plan, and the original's count
  // may be more than this machine has
  const { threads: _threads, ...params } = storedPlanParameters(plan.parameters);
  void _threads;
  const inputs = { ...params, method: plan.method };
  return createPlan(db, plan.constraintSetVersionId, inputs, { ...opts, replayOf: planId });
}

/** The current dataset and contact-history revisions (what a plan is stale against). */
export function dataRevisions(pool: Pool): Promise<Revisions> {
  return currentRevisions(pool);
}

// A plan's run ends with the lifecycle's errors (services/run-job.ts); these names are what
// bench/cancel.ts and docs/performance.md use for them.
export {
  RunInterruptedError as PlanInterruptedError,
  RunCancelledError as PlanCancelledError,
} from "./run-job";

/**
 * The share of a plan run shown as done at each step, as the API and the CLI show it. The
 * optimisation is most of a run's time, so most of the bar is its own 0..1 report, mapped onto
 * [optimizeFrom, optimizeFrom + optimizeShare]; SUCCEEDED sets 1.
 */
const PLAN_PROGRESS = {
  /** loading the instance: a sliver, so that a run just claimed shows it has started */
  load: 0.02,
  optimizeFrom: 0.05,
  optimizeShare: 0.85,
  /** the one write transaction (assignments, report, summary), after the optimisation */
  write: 0.92,
} as const;

/** How long a crash test's pause blocks when OFFERPLAN_TEST_PAUSE_MS is unset: time to kill it. */
const TEST_PAUSE_DEFAULT_MS = 3000;

export interface ExecuteOptions {
  /** an instance loaded earlier at the current dataset revision (a worker keeps it) */
  loaded?: LoadedInstance;
  onProgress?: (phase: string, fraction: number) => void;
  failpoint?: FailpointHook;
  /**
   * aborted = stop at the next checkpoint (or, seen by an await inside the optimisation, at its
   * next poll) and put the plan back on the queue
   */
  signal?: AbortSignal;
}

export interface ExecutedPlan {
  planId: number;
  result: PlanResult;
  fingerprint: string;
  loaded: LoadedInstance;
  constraints: PlanConstraints;
  definition: ConstraintSetDefinition;
}

export async function executePlan(
  pool: Pool,
  prisma: PrismaClient,
  planId: number,
  opts: ExecuteOptions = {},
): Promise<ExecutedPlan> {
  const lifecycle = {
    signal: opts.signal,
    onProgress: opts.onProgress,
    onPhase: (phase: string) => testPause(planId, phase),
    progressEveryMs: RUN_TUNING.planProgressEveryMs,
  };
  return runJob(pool, "plan", planId, lifecycle, async (run) => {
    const plan = await prisma.plan.findUniqueOrThrow({ where: { id: planId } });
    const params = { ...storedPlanParameters(plan.parameters), method: plan.method };
    const version = await getVersion(prisma, plan.constraintSetVersionId);
    const definition = params.overrides
      ? withOverrides(version.definition, params.overrides)
      : version.definition;
    run.progress("load", PLAN_PROGRESS.load);
    const loaded = opts.loaded ?? (await loadInstance(pool));
    await run.checkpoint();
    const done = await computeAndWrite(pool, planId, params, definition, loaded, {
      progress: run.progress,
      checkpoint: run.checkpoint,
      reusedInstance: opts.loaded !== undefined,
      // crash tests can also stop the write half-way, inside its transaction
      failpoint: opts.failpoint ?? ((step) => testPause(planId, `write:${step}`)),
      runBy: run.runBy,
      shouldStop: run.shouldStop,
      cancelled: run.cancelled,
    });
    return { planId, ...done, loaded, definition };
  });
}

/**
 * Test hook for crash tests: with OFFERPLAN_TEST_PAUSE_PHASES="load,cluster_lp,write:assignments" (and
 * OFFERPLAN_TEST_PAUSE_MS), a run announces each of those phases on stdout and then blocks its
 * thread, so that a test can kill the process in that phase. Unset (always, outside tests), it
 * costs one lookup per phase.
 */
function testPause(planId: number, phase: string): void {
  const phases = process.env.OFFERPLAN_TEST_PAUSE_PHASES;
  if (!phases || !phases.split(",").includes(phase)) return;
  writeSync(1, `${JSON.stringify({ msg: "test pause", planId, phase, pid: process.pid })}\n`);
  Atomics.wait(
    new Int32Array(new SharedArrayBuffer(4)),
    0,
    0,
    Number(process.env.OFFERPLAN_TEST_PAUSE_MS ?? TEST_PAUSE_DEFAULT_MS),
  );
}

interface RunHooks {
  progress: (phase: string, fraction: number) => void;
  checkpoint: () => Promise<void>;
  /** the instance came from a worker's memory: it cost nothing to load this time */
  reusedInstance: boolean;
  failpoint?: FailpointHook;
  runBy: string;
  /** the run was cancelled or the worker is stopping: OptimizeOptions.shouldStop */
  shouldStop: () => boolean;
  /**
   * the run was cancelled: the write stops only then, since a write under way finishes when the
   * worker is stopping (its result would be lost otherwise, and the plan could not be re-queued
   * from inside the write transaction)
   */
  cancelled: () => boolean;
}

/** The run proper: constraints for the campaign date, the optimisation, the one write. */
async function computeAndWrite(
  pool: Pool,
  planId: number,
  params: RunPlanParameters,
  definition: ConstraintSetDefinition,
  loaded: LoadedInstance,
  hooks: RunHooks,
): Promise<{ result: PlanResult; constraints: PlanConstraints; fingerprint: string }> {
  // A calibrated run scales a copy: `loaded` stays as read, for the worker to reuse.
  const instance = params.calibrationId
    ? calibrateInstance(loaded.instance, await calibrationFactors(pool, params.calibrationId))
    : loaded.instance;
  const campaignDate = params.campaignDate ?? todayUtc();
  const policiesStarted = performance.now();
  // read before the facts: a history import while they are read makes the plan stale, never
  // mislabelled as current
  const historyRevision = hasPolicies(definition) ? (await currentRevisions(pool)).history : null;
  const run =
    (definition.waves?.length ?? 0) > 1
      ? await calendarRun(pool, definition, { ...loaded, instance }, campaignDate, hooks.shouldStop)
      : {
          instance,
          constraints: await planConstraints(
            pool,
            definition,
            { ...loaded, instance },
            campaignDate,
          ),
        };
  const { constraints } = run;
  const policySeconds = (performance.now() - policiesStarted) / 1000;
  const warm =
    params.warmStartFrom !== undefined
      ? await warmStartFor(pool, params, run.instance, loaded.revision)
      : undefined;
  const result = await optimize(run.instance, constraints, {
    method: params.method,
    clusters: params.clusters,
    disaggregation: params.disaggregation,
    seed: params.seed,
    reuse: warm,
    onProgress: (phase, f) =>
      hooks.progress(phase, PLAN_PROGRESS.optimizeFrom + PLAN_PROGRESS.optimizeShare * f),
    shouldStop: hooks.shouldStop,
    threads: runThreads(params.threads),
  });
  // reading the contact history for the rules is part of the run
  if (constraints.policies?.length || "calendar" in run) result.timings.policies = policySeconds;
  await hooks.checkpoint();
  hooks.progress("write", PLAN_PROGRESS.write);
  const loadSeconds = hooks.reusedInstance ? 0 : loaded.seconds;
  const held = params.controlShare
    ? holdOut(run.instance, constraints, result, params.controlShare, params.seed ?? 1)
    : undefined;
  const rows: PlanRowsInput = {
    ...("calendar" in run
      ? calendarRows(run.calendar, loaded, result, loadSeconds, held)
      : toRows({ ...loaded, instance }, result, loadSeconds, held)),
    provenance: provenanceOf(params, loaded, historyRevision, result),
  };
  if (warm && sameMembership(warm.membership, result.membership)) {
    rows.membershipFrom = params.warmStartFrom;
  }
  const { fingerprint } = await writePlanResult(
    pool,
    planId,
    rows,
    hooks.failpoint,
    hooks.runBy,
    hooks.cancelled,
  );
  return { result, constraints, fingerprint };
}

function provenanceOf(
  params: RunPlanParameters,
  loaded: LoadedInstance,
  historyRevision: number | null,
  result: PlanResult,
): PlanRowsInput["provenance"] {
  return {
    datasetRevision: loaded.revision,
    historyRevision,
    stored: {
      softwareVersion: softwareVersion(),
      effective: {
        clusters: result.effective.clusters,
        dualPasses: result.effective.dualPasses,
        solver: result.effective.solver,
        threads: result.effective.threads,
        warmStartFrom: params.warmStartFrom ?? null,
      },
    },
  };
}

/**
 * The warm start a plan names, read from the database; refused when the source plan was computed
 * on other data (its clusters and prices would describe customers that changed).
 */
async function warmStartFor(
  pool: Pool,
  params: RunPlanParameters,
  instance: Instance,
  revision: number,
): Promise<Reuse> {
  const sourceId = params.warmStartFrom!;
  const at = await succeededPlanRevision(pool, sourceId);
  if (at === undefined) throw new ConflictError(`warm start: plan ${sourceId} did not succeed`);
  if (at === null || Number(at) !== revision) {
    throw new ConflictError(
      `warm start: plan ${sourceId} was computed on dataset revision ${at ?? "unknown"}; ` +
        `the data is now at revision ${revision}`,
    );
  }
  return loadWarmStart(pool, sourceId, instance, params.method === "CLUSTER_LP");
}

/** A warm start must name a SUCCEEDED plan with prices (and clusters, for CLUSTER_LP). */
async function checkWarmStart(prisma: PrismaClient, params: RunPlanParameters): Promise<void> {
  const id = params.warmStartFrom!;
  const field = "input.warmStartFrom";
  if (!Number.isSafeInteger(id) || id <= 0) throw new InputError(field, `"${id}" is not a plan id`);
  const source = await prisma.plan.findUnique({ where: { id } });
  if (!source) throw new NotFoundError(`plan ${id} does not exist`);
  if (source.status !== "SUCCEEDED")
    throw new ConflictError(`plan ${id} is ${source.status}; a warm start needs a SUCCEEDED plan`);
  if (source.method === "GREEDY")
    throw new InputError(field, `plan ${id} is a GREEDY plan: it has no prices to start from`);
  if (params.method === "CLUSTER_LP" && source.method !== "CLUSTER_LP")
    throw new InputError(
      field,
      `plan ${id} has no clusters: a CLUSTER_LP run starts from a CLUSTER_LP plan`,
    );
}

type RowsOfResult = Omit<PlanRowsInput, "provenance">;

function toRows(
  loaded: LoadedInstance,
  r: PlanResult,
  loadSeconds: number,
  held?: Holdout,
): RowsOfResult {
  const { instance, catalog } = loaded;
  const offerIndex = new Map(instance.offerIds.map((id, i) => [id, i]));
  const channelIndex = new Map(instance.channelIds.map((id, i) => [id, i]));
  return {
    instance,
    catalog,
    selected: r.selected,
    control: held?.control,
    clusters: r.clusters,
    membership: r.membership,
    proportions: r.proportions?.map((p) => ({
      cluster: p.cluster,
      offer: offerIndex.get(p.offer)!,
      channel: channelIndex.get(p.channel)!,
      proportion: p.proportion,
      customers: p.customers,
    })),
    constraintReport: r.constraintReport,
    kpis: {
      objective: r.objective,
      value: r.value,
      ...r.kpis,
      // with a holdout: the treatment's KPIs, the control group's counts beside them
      ...held?.kpis,
      upperBound: r.upperBound ?? null,
      gap: r.gap ?? null,
      clusterLpValue: r.clusterLpValue ?? null,
      baseline: r.baseline,
    },
    timings: { load: loadSeconds, ...r.timings },
  };
}

/**
 * A queued plan never starts; a running one is marked CANCELLED at once, and its worker stops
 * within about a second: its heartbeat thread sees the change and the optimiser or the writer
 * stops at its next poll (docs/optimize.md, "Cancellation"). The plan writer commits only while
 * the plan is RUNNING, so a cancelled run never leaves rows behind, however far it got.
 */
export async function cancelPlan(db: Db, planId: number, actor: Actor = CLI_ACTOR): Promise<Plan> {
  const { prisma } = db;
  const cancelled = await db.tx(async (client) => {
    const updated = await cancelPlanRun(client, planId);
    if (updated) {
      await recordAudit(client, {
        actor,
        action: "plan.cancel",
        subjectType: "plan",
        subjectId: planId,
      });
    }
    return updated;
  });
  if (cancelled) {
    await removePlanJob(prisma, planId);
    return prisma.plan.findUniqueOrThrow({ where: { id: planId } });
  }
  const plan = await prisma.plan.findUnique({ where: { id: planId } });
  if (!plan) throw new NotFoundError(`plan ${planId} does not exist`);
  throw new ConflictError(`plan ${planId} is already ${plan.status}`);
}

function sameMembership(a: Int32Array | undefined, b: Int32Array | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && (a[i]! >= 0 || b[i]! >= 0)) return false;
  return true;
}

/**
 * A campaign calendar (several waves): every wave's policies evaluated for its own day, then one
 * instance of (offer, channel, wave) options (src/optimize/calendar.ts).
 */
async function calendarRun(
  pool: Pool,
  definition: ConstraintSetDefinition,
  loaded: LoadedInstance,
  campaignDate: string,
  shouldStop: () => boolean,
): Promise<{ instance: Instance; constraints: PlanConstraints; calendar: Calendar }> {
  const { instance, catalog } = loaded;
  const base = constraintsFor(definition, loaded);
  const specs = hasPolicies(definition)
    ? resolvePolicies(definition, {
        offerIds: instance.offerIds,
        channelIds: instance.channelIds,
        offerCategory: catalog.offers.map((o) => o.category),
      })
    : [];
  const channelIndex = new Map(instance.channelIds.map((id, k) => [id, k]));
  const waves: Wave[] = [];
  for (const [n, w] of (definition.waves ?? []).entries()) {
    const channelCapacity = new Float64Array(instance.channelIds.length).fill(Infinity);
    w.channelCapacities.forEach((c, t) => {
      const k = channelIndex.get(c.channelId);
      if (k === undefined) {
        throw new InputError(
          `waves.${n}.channelCapacities.${t}.channelId`,
          `unknown channel "${c.channelId}"`,
        );
      }
      channelCapacity[k] = c.capacity;
    });
    const day = addDays(campaignDate, w.offsetDays);
    waves.push({
      name: w.name,
      offsetDays: w.offsetDays,
      budget: w.budget ?? Infinity,
      channelCapacity,
      policies: specs.length > 0 ? await loadPolicies(pool, specs, instance, catalog, day) : [],
    });
  }
  const calendar = expandCalendar(instance, base, waves, shouldStop);
  return { instance: calendar.inst, constraints: calendar.cons, calendar };
}

/**
 * A calendar plan's rows: assignments on their base channel with their wave, proportions summed
 * over waves per (cluster, offer, channel).
 */
function calendarRows(
  calendar: Calendar,
  loaded: LoadedInstance,
  r: PlanResult,
  loadSeconds: number,
  held?: Holdout,
): RowsOfResult {
  const K = loaded.instance.channelIds.length;
  const written: Instance = {
    ...calendar.inst,
    channelIds: loaded.instance.channelIds,
    optChannel: Int32Array.from(calendar.inst.optChannel, (k) => k % K),
  };
  const sums = new Map<string, ProportionRow>();
  for (const p of r.proportions ?? []) {
    const channel = p.channel.slice(0, p.channel.lastIndexOf("@"));
    const key = `${p.cluster}\u0000${p.offer}\u0000${channel}`;
    const had = sums.get(key);
    if (had) {
      had.customers += p.customers;
      had.proportion += p.proportion;
    } else sums.set(key, { ...p, channel });
  }
  const rows = toRows(
    { ...loaded, instance: written },
    { ...r, proportions: r.proportions ? [...sums.values()] : undefined },
    loadSeconds,
    held,
  );
  return {
    ...rows,
    wave: { ofOption: calendar.optWave, names: calendar.waves.map((w) => w.name) },
  };
}

/**
 * constraintsFor, plus the contact policies evaluated against the history for the campaign date
 * (one query per rule; never cached with the instance, since the history changes between runs).
 */
export async function planConstraints(
  pool: Pool,
  definition: ConstraintSetDefinition,
  loaded: LoadedInstance,
  campaignDate: string,
): Promise<PlanConstraints> {
  const constraints = constraintsFor(definition, loaded);
  if ((definition.waves?.length ?? 0) > 1) {
    throw new InputError("waves", "analyses run on single-wave constraint sets only");
  }
  if (!hasPolicies(definition)) return constraints;
  const { instance, catalog } = loaded;
  const specs = resolvePolicies(definition, {
    offerIds: instance.offerIds,
    channelIds: instance.channelIds,
    offerCategory: catalog.offers.map((o) => o.category),
  });
  constraints.policies = await loadPolicies(pool, specs, instance, catalog, campaignDate);
  return constraints;
}

/** A constraint-set definition against a loaded dataset: its ids and its CSV default limits. */
export function constraintsFor(
  definition: ConstraintSetDefinition,
  { instance, catalog }: LoadedInstance,
): PlanConstraints {
  return resolveConstraints(definition, {
    offerIds: instance.offerIds,
    channelIds: instance.channelIds,
    segments: instance.segments,
    channelCapacity: catalog.channels.map((c) => c.capacity ?? Infinity),
    offerMin: catalog.offers.map((o) => o.minVolume),
    offerMax: catalog.offers.map((o) => o.maxVolume ?? Infinity),
  });
}
