// A solver that runs on a thread of its own, so that its caller keeps its event loop while a
// synchronous solve runs for seconds: a time limit can fire, and a cancellation can be heard and
// acted on by terminating the thread. Both LP backends use it (jslp for its time limit, HiGHS
// for cancellation).
//
// One thread per solver kind, started on first use and kept (unref'd while idle, so it never
// holds a process open): the module it loads — a WASM runtime, say — is loaded once. Jobs are
// serialised, so a time limit counts a job's own run time, not time spent queued. A thread that
// is terminated (limit, stop, crash) is replaced on the next job.
import { Worker } from "node:worker_threads";

export interface ThreadJobOptions {
  /** reject with `onTimeLimit(limit)` after this many ms of the job's own run time */
  timeLimitMs?: number;
  /** the error for a job over its limit, given the limit as enforced (clamped to a timer's range) */
  onTimeLimit?: (limitMs: number) => Error;
  /** asked every STOP_POLL_MS while the job runs; true rejects with `onStop()` */
  shouldStop?: () => boolean;
  onStop?: () => Error;
}

/**
 * How often a running job asks shouldStop. A cancellation lands within this (plus the thread's
 * termination, a few ms), far inside the 2 s a run may take to stop; a poll is a function call.
 */
export const STOP_POLL_MS = 25;

export class SolverThread {
  private worker: Worker | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * `source`: plain JavaScript evaluated on the thread (it works the same under tsx, ts-jest and
   * compiled code); it answers each message with `{ result }` or `{ error }`.
   */
  constructor(
    private readonly label: string,
    private readonly source: string,
    private readonly workerData: unknown,
  ) {}

  /** Runs one job after those queued before it. */
  run(message: unknown, opts: ThreadJobOptions = {}): Promise<unknown> {
    const job = this.queue.then(() => this.execute(message, opts));
    this.queue = job.catch(() => undefined);
    return job;
  }

  /** Stops the thread (tests call this in afterAll; a new one starts on the next job). */
  async close(): Promise<void> {
    await this.queue;
    const w = this.worker;
    this.worker = undefined;
    if (w !== undefined) await w.terminate();
  }

  private thread(): Worker {
    if (this.worker === undefined) {
      this.worker = new Worker(this.source, { eval: true, workerData: this.workerData });
      this.worker.unref();
    }
    return this.worker;
  }

  private execute(message: unknown, opts: ThreadJobOptions): Promise<unknown> {
    const w = this.thread();
    return new Promise((resolve, reject) => {
      const timers: NodeJS.Timeout[] = [];
      const settle = (fn: () => void, dropThread: boolean) => {
        timers.forEach((t) => clearTimeout(t));
        w.off("message", onMessage);
        w.off("error", onFailure);
        w.off("exit", onFailure);
        if (dropThread) {
          if (this.worker === w) this.worker = undefined;
          void w.terminate();
        } else w.unref();
        fn();
      };
      const onMessage = (msg: unknown) => {
        const reply = (typeof msg === "object" && msg !== null ? msg : {}) as Record<
          string,
          unknown
        >;
        if (typeof reply.error === "string")
          settle(() => reject(new Error(`${this.label}: ${String(reply.error)}`)), false);
        else settle(() => resolve(reply.result), false);
      };
      const onFailure = (err: unknown) =>
        settle(
          () =>
            reject(
              err instanceof Error ? err : new Error(`${this.label} thread exited: ${String(err)}`),
            ),
          true,
        );
      w.on("message", onMessage);
      w.on("error", onFailure);
      w.on("exit", onFailure);
      if (opts.timeLimitMs !== undefined && Number.isFinite(opts.timeLimitMs)) {
        const limit = Math.max(1, Math.min(opts.timeLimitMs, 2 ** 31 - 1));
        const onLimit = opts.onTimeLimit ?? (() => new Error(`${this.label}: time limit`));
        timers.push(setTimeout(() => settle(() => reject(onLimit(limit)), true), limit));
      }
      const { shouldStop } = opts;
      if (shouldStop) {
        const onStop = opts.onStop ?? (() => new Error(`${this.label}: stopped`));
        timers.push(
          setInterval(() => {
            if (shouldStop()) settle(() => reject(onStop()), true);
          }, STOP_POLL_MS),
        );
      }
      w.ref();
      w.postMessage(message);
    });
  }
}
