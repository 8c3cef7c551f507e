// Threads a plan run may use: by default every core of the machine that runs it, at most the cap
// below. Threads never change a plan (src/optimize/pass-pool.ts), only how long it takes, so the
// count is a run detail: checked when the plan is asked for, and lowered without complaint when
// a worker with fewer cores runs it.
import { availableParallelism } from "node:os";
import { MAX_THREADS } from "../optimize/threads";
import { InputError } from "./errors";

/**
 * The server's cap on a run's threads (serve, worker and CLI alike), below the machine's cores:
 * for a host that shares its cores with other services. Unset = every core.
 */
export const MAX_THREADS_ENV = "OFFERPLAN_MAX_THREADS";

/**
 * The most threads a run may use here: the machine's cores (more only wait for a core: a pass is
 * as slow as its last block), lowered by OFFERPLAN_MAX_THREADS, never above the core's limit.
 */
export function threadCap(env: NodeJS.ProcessEnv = process.env): number {
  const cores = Math.min(availableParallelism(), MAX_THREADS);
  const raw = env[MAX_THREADS_ENV];
  if (raw === undefined || raw.trim() === "") return cores;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${MAX_THREADS_ENV} must be a whole number >= 1, got "${raw}"`);
  return Math.min(n, cores);
}

/** A run's asked-for threads, refused at `field` when outside 1 … threadCap(). */
export function checkThreads(threads: number | undefined, field = "input.threads"): void {
  if (threads === undefined) return;
  const cap = threadCap();
  if (!(Number.isSafeInteger(threads) && threads >= 1 && threads <= cap))
    throw new InputError(
      field,
      `must be a whole number from 1 to ${cap} (this machine's cores, or ${MAX_THREADS_ENV}); got ${threads}`,
    );
}

/** The threads a run uses: as asked, or every core, at most the cap of the machine running it. */
export function runThreads(threads: number | undefined): number {
  const cap = threadCap();
  return threads === undefined ? cap : Math.min(threads, cap);
}
