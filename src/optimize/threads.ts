// How many threads a run may use (OptimizeOptions.threads). Its own module, with no imports, so
// that callers check a count without loading the optimiser.

/**
 * The most threads a run may ask for. Each thread holds a scratch the size of the widest customer
 * and costs tens of ms to start, and a pass's blocks (4,096 customers) leave little to share
 * beyond a few dozen threads even at 10M customers; callers cap lower, at the machine's cores.
 */
export const MAX_THREADS = 64;

/** Threads of a run: options.threads, checked (1 when absent). */
export function threadsOf(options: { threads?: number }): number {
  const t = options.threads ?? 1;
  if (!Number.isInteger(t) || t < 1 || t > MAX_THREADS) {
    throw new Error(
      `invalid optimisation input: threads must be a whole number from 1 to ${MAX_THREADS}, got ${t}`,
    );
  }
  return t;
}
