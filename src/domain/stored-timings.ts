// The phase timings a plan row carries (plan.timings, written with the plan): seconds per phase,
// keyed by the phase's name ("load", "cluster", "exact", "write", "total", …). The one reader of
// the column, for the API, the report and the CLI. A plan that never finished has none.
import { z } from "zod";

const Timings = z.record(z.string(), z.number().nonnegative());

export type StoredTimings = z.infer<typeof Timings>;

/** A plan row's timings column; null when the plan has none; throws, naming the phase, on a
 * value that is not seconds. */
export function storedTimings(value: unknown): StoredTimings | null {
  if (value === null || value === undefined) return null;
  const r = Timings.safeParse(value);
  if (!r.success) throw new Error(`plan.timings is not readable: ${z.prettifyError(r.error)}`);
  return r.data;
}
