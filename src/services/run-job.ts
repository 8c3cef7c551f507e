// One lifecycle for every stored run a worker or the CLI executes (plans, analyses): claim the row
// for this process, watch it for cancellation, report progress, check between phases, and end it:
// SUCCEEDED by the run's own write, QUEUED again when its worker is stopping, FAILED with the
// stored error otherwise. A cancelled run is left as the cancel wrote it.
import type { Pool } from "pg";
import { claimRun, runnerId, watchRun } from "../db/heartbeat";
import { PlanNoLongerRunningError } from "../db/plan-writer";
import { failRun, requeueRun, runIsMine, writeRunProgress, type RunTable } from "../db/runs";
import { OptimizeStoppedError } from "../optimize/stop";
import { storedRunError } from "./run-errors";

export type { RunTable } from "../db/runs";

/** The run stopped because its worker is shutting down; it is QUEUED again. */
export class RunInterruptedError extends Error {
  override name = "RunInterruptedError";
}

/** The run was cancelled (or otherwise left RUNNING) while it ran; nothing was written. */
export class RunCancelledError extends Error {
  override name = "RunCancelledError";
}

/** How often each kind of run writes its progress row. */
export const RUN_TUNING = {
  /**
   * A plan's optimiser reports many times a second: one write per half second keeps the API's
   * progress live at no cost to the run.
   */
  planProgressEveryMs: 500,
  /** An analysis reports once per point (a few dozen at most): every report is written. */
  analysisProgressEveryMs: 0,
} as const;

/** What the run's own work sees of its lifecycle. */
export interface RunContext {
  /** this process's runner id: the run's writes commit only under it */
  readonly runBy: string;
  /** the phase the run is in and, when known, its share done (the row is written at most every progressEveryMs) */
  progress(phase: string, fraction?: number): void;
  /** between phases: throws when the run was cancelled or its worker is stopping */
  checkpoint(): Promise<void>;
  /** cancelled or stopping: the optimiser's shouldStop */
  shouldStop(): boolean;
  /** cancelled: one atomic read of the heartbeat thread's flag */
  cancelled(): boolean;
}

export interface RunJobOptions {
  /** aborted = stop at the next checkpoint or poll, and put the run back on the queue */
  signal?: AbortSignal;
  /** every progress report, whether or not it is written */
  onProgress?: (phase: string, fraction: number) => void;
  /** each phase as the run enters it */
  onPhase?: (phase: string) => void;
  progressEveryMs: number;
}

/**
 * Claims run `id` of `table`, runs `work` under its lifecycle and ends the run as described
 * above. `work` makes the run SUCCEEDED itself, in the transaction that writes its results.
 */
export async function runJob<T>(
  pool: Pool,
  table: RunTable,
  id: number,
  opts: RunJobOptions,
  work: (run: RunContext) => Promise<T>,
): Promise<T> {
  const label = `${table} ${id}`;
  const runBy = await runnerId(pool);
  if (!(await claimRun(pool, table, id, runBy)))
    throw new RunCancelledError(`${label} is not queued`);
  // From here a cancel is seen within CANCEL_CHECK_MS plus one poll of the optimiser, whatever
  // the main thread is doing (src/db/heartbeat.ts).
  const watch = watchRun(table, id);
  const progress = progressReporter(pool, table, id, runBy, opts);
  const run: RunContext = {
    runBy,
    progress: progress.report,
    shouldStop: () => watch.cancelled() || opts.signal?.aborted === true,
    cancelled: () => watch.cancelled(),
    checkpoint: async () => {
      if (watch.cancelled()) throw new RunCancelledError(`${label} was cancelled`);
      if (opts.signal?.aborted) throw new RunInterruptedError(`${label}: worker stopping`);
      if (!(await runIsMine(pool, table, id, runBy)))
        throw new RunCancelledError(`${label} was cancelled`);
    },
  };
  try {
    return await work(run);
  } catch (caught) {
    const e = asStop(caught, label, watch.cancelled());
    if (e instanceof RunCancelledError) throw e; // the row already says so; nothing was written
    if (e instanceof RunInterruptedError) {
      await requeueRun(pool, table, id, runBy);
      throw e;
    }
    const stored = storedRunError(e);
    await failRun(pool, table, id, runBy, { error: stored.message, phase: progress.phase() });
    // the caller logs or shows the original; the reference ties the log line to the stored text
    if (stored.reference && e instanceof Error) Object.assign(e, { reference: stored.reference });
    throw e;
  } finally {
    watch.release();
  }
}

/** A stop of the optimiser or of the writer, as the lifecycle error it means. */
function asStop(e: unknown, label: string, cancelled: boolean): unknown {
  if (e instanceof OptimizeStoppedError)
    return cancelled
      ? new RunCancelledError(`${label} was cancelled`)
      : new RunInterruptedError(`${label}: worker stopping`);
  if (e instanceof PlanNoLongerRunningError) return new RunCancelledError(e.message);
  return e;
}

function progressReporter(
  pool: Pool,
  table: RunTable,
  id: number,
  runBy: string,
  opts: RunJobOptions,
): { report: (phase: string, fraction?: number) => void; phase: () => string } {
  // the claim put the run in "load"; a failure before the first report failed there
  let phase = "load";
  let entered: string | null = null;
  let done = 0;
  let lastWrite = 0;
  const report = (next: string, fraction?: number) => {
    if (next !== entered) opts.onPhase?.(next);
    entered = phase = next;
    done = fraction ?? done;
    opts.onProgress?.(next, done);
    const now = Date.now();
    if (now - lastWrite < opts.progressEveryMs) return;
    lastWrite = now;
    // not awaited: a progress write never holds up the run, and a lost one is overtaken
    void writeRunProgress(pool, table, id, runBy, next, fraction ?? null).catch(() => undefined);
  };
  return { report, phase: () => phase };
}
