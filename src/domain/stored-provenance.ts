// What a plan was computed from, beyond its parameters (plan.provenance, written with the plan):
// the settings the run actually used and the software that ran it. The one reader of the column.
import { z } from "zod";

const Effective = z.object({
  /** clusters the cluster LP used (after splits by segment); null for other methods */
  clusters: z.number().int().nullable(),
  /** full-data Lagrangian passes of the price search; null for GREEDY */
  dualPasses: z.number().int().nullable(),
  /** the LP solver; null when no LP was solved */
  solver: z.string().nullable(),
  threads: z.number().int(),
  /** the plan whose clusters and prices this run started from (an explicit input) */
  warmStartFrom: z.number().int().nullable(),
});

const Provenance = z.object({
  softwareVersion: z.string(),
  effective: Effective,
});

export type StoredProvenance = z.infer<typeof Provenance>;
export type EffectiveParameters = z.infer<typeof Effective>;

/** A plan row's provenance column; null before the plan succeeded (or for plans stored before it existed). */
export function storedProvenance(value: unknown): StoredProvenance | null {
  if (value === null || value === undefined) return null;
  const r = Provenance.safeParse(value);
  if (!r.success) throw new Error(`plan.provenance is not readable: ${r.error.message}`);
  return r.data;
}
