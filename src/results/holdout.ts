// The control group of a plan: after optimisation, a share of the chosen options of every
// segment × offer stratum is held out (selected like the others, not contacted), so that the
// measured difference between treatment and control is the offer's effect in that stratum.
import type { Instance } from "../optimize/instance";
import { Rng, sampleIndexes } from "../optimize/rng";

/**
 * How many of a stratum's n chosen options are held out at this share: the nearest whole number
 * to n × share, halves rounded up (0.1 of 25 → 3, of 24 → 2, of 4 → 0). The tolerance n × 1e-12
 * absorbs the binary rounding of the product, so 0.7 × 5 counts as 3.5 and gives 4 as it does in
 * decimal. A stratum with a single option at share ≥ 0.5 is therefore all control.
 */
export function controlCount(n: number, share: number): number {
  return Math.min(n, Math.floor(n * share + 0.5 + n * 1e-12));
}

/** the holdout's random stream for one stratum: independent of the other strata's sizes */
function strataSeed(seed: number, stratum: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x5bd1e995, 0x9e3779b1) >>> 0;
  h = Math.imul(h ^ (stratum + 0x7f4a7c15), 0x85ebca6b) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}

/**
 * 1 per chosen option held out as control. Strata are segment (customers without one form their
 * own) × offer; within a stratum the control options are a uniform random subset of
 * controlCount(n, share) of its n chosen options, drawn from a stream seeded by (seed, stratum):
 * the same plan and seed give the same control group on every run and machine.
 */
export function selectControl(
  ins: Instance,
  selected: Uint8Array,
  share: number,
  seed: number,
): Uint8Array {
  if (!(share >= 0 && share < 1))
    throw new RangeError(`control share must be in [0, 1), got ${share}`);
  const nOpt = ins.optOffer.length;
  if (selected.length !== nOpt)
    throw new Error(`selected has ${selected.length} entries, the instance ${nOpt} options`);
  const control = new Uint8Array(nOpt);
  if (share === 0) return control;
  const nO = ins.offerIds.length;
  const strata = (ins.segments.length + 1) * nO;
  const stratumOf = (i: number, k: number) => (ins.customerSegment[i]! + 1) * nO + ins.optOffer[k]!;
  // options of each stratum in instance order (customers by database id), as compressed rows
  const start = new Int32Array(strata + 1);
  for (let i = 0; i < ins.numCustomers; i++)
    for (let k = ins.custStart[i]!; k < ins.custStart[i + 1]!; k++)
      if (selected[k]) start[stratumOf(i, k) + 1]!++;
  for (let s = 0; s < strata; s++) start[s + 1]! += start[s]!;
  const members = new Int32Array(start[strata]!);
  const fill = start.slice(0, strata);
  for (let i = 0; i < ins.numCustomers; i++)
    for (let k = ins.custStart[i]!; k < ins.custStart[i + 1]!; k++)
      if (selected[k]) members[fill[stratumOf(i, k)]!++] = k;
  for (let s = 0; s < strata; s++) {
    const n = start[s + 1]! - start[s]!;
    const k = controlCount(n, share);
    if (k === 0) continue;
    for (const j of sampleIndexes(n, k, new Rng(strataSeed(seed, s))))
      control[members[start[s]! + j]!] = 1;
  }
  return control;
}

/** selected and not held out: the options that are contacted */
export function treatmentOf(selected: Uint8Array, control: Uint8Array): Uint8Array {
  const out = new Uint8Array(selected.length);
  for (let k = 0; k < selected.length; k++) out[k] = selected[k]! && !control[k] ? 1 : 0;
  return out;
}
