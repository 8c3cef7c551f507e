// Stopping a run part-way. optimize() is synchronous between its few LP solves and holds its
// thread for many seconds at millions of customers, so a cancellation cannot arrive as an event:
// the core asks a caller-supplied function instead (OptimizeOptions.shouldStop), from inside its
// long loops, and unwinds with OptimizeStoppedError when the answer is yes. Nothing the core
// computes depends on the polls, so a run that is never stopped is the run without them.

import type { SolveOptions } from "./lp/types";

/** Thrown by the core when OptimizeOptions.shouldStop returned true; nothing is returned. */
export class OptimizeStoppedError extends Error {
  override name = "OptimizeStoppedError";
  constructor() {
    super("optimisation stopped");
  }
}

/**
 * Customers (or rows, or samples) between two polls in a per-customer loop: a power of two minus
 * one, as a mask. At 1M customers (18 options each) the costliest per-customer loop (a repair
 * scan) takes ~1 µs per customer, so 4,096 of them are a few ms: polls stay ~1,000× cheaper than
 * the work between them and far inside the 0.25 s a stretch may last.
 */
export const POLL_EVERY_CUSTOMERS_MASK = 4095;

/**
 * Options between two polls in a loop over every option: the same few ms of work as
 * POLL_EVERY_CUSTOMERS_MASK customers.
 */
export const POLL_EVERY_OPTIONS_MASK = 65535;

/** The core's side of shouldStop: counts its polls (tests and the benchmark read them). */
export class StopCheck {
  polls = 0;
  constructor(private readonly shouldStop: () => boolean) {}
  /** Throws OptimizeStoppedError when the caller wants the run stopped. */
  poll(): void {
    this.polls++;
    if (this.shouldStop()) throw new OptimizeStoppedError();
  }
  /**
   * For a solver that polls on its own (LpSolver.solve): its polls count here, and it ends the
   * solve with OptimizeStoppedError itself. Empty for a run that cannot be stopped.
   */
  solveOptions(): SolveOptions {
    if (this === NEVER) return {};
    return {
      shouldStop: () => {
        this.polls++;
        return this.shouldStop();
      },
    };
  }
  /** poll() on every POLL_EVERY_CUSTOMERS_MASK + 1-th index of a loop (index 0 included). */
  every(i: number): void {
    if ((i & POLL_EVERY_CUSTOMERS_MASK) === 0) this.poll();
  }
}

/** The check of a run without shouldStop: it never stops (and costs a call that returns). */
export const NEVER = new StopCheck(() => false);

export function stopCheck(shouldStop: (() => boolean) | undefined): StopCheck {
  return shouldStop ? new StopCheck(shouldStop) : NEVER;
}
