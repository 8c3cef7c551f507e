// Learning from results: per segment × offer × channel, a factor on the scores' probabilities
// estimated from a plan's measured treatment responses, and its application to an instance.
//
// Model (Gamma–Poisson, the conjugate pair for "observed against expected counts"): in a cell the
// plan predicted P responders (Σ of the assigned options' probabilities, already multiplied by the
// factor the plan ran with, f₀) and saw x. Responders ~ Poisson(r · P) with a relative factor r
// whose prior is Gamma(shape a, rate a): mean 1 (the scores as they were), variance 1/a. Its
// posterior mean is (a + x) / (a + P), so the new factor is
//
//     f = f₀ · (a + x) / (a + P)
//
// a is the prior strength, in expected responders: a cell whose plan expected a responders moves
// half way (on this scale) from its old factor toward what it measured; a cell with P ≪ a barely
// moves; one with P ≫ a follows its data. Default 20 (a 95 % interval for the factor of about
// ±45 % before any data).
import type { Instance } from "../optimize/instance";

export const DEFAULT_PRIOR_STRENGTH = 20;

export interface CalibrationInput {
  /** null = customers without a segment */
  segment: string | null;
  offer: string;
  channel: string;
  /** treatment assignments measured */
  customers: number;
  responders: number;
  /** Σ predicted probability of those assignments (with the previous factor applied) */
  predictedResponders: number;
  /** the factor the measured plan ran with (1 when none) */
  previousFactor: number;
}

export interface CalibratedCell extends CalibrationInput {
  /** previousFactor · x / P: what the data alone say; null when nothing was predicted */
  rawFactor: number | null;
  factor: number;
}

/** New factors for the measured cells (see the model above). */
export function recalibrate(
  cells: readonly CalibrationInput[],
  priorStrength = DEFAULT_PRIOR_STRENGTH,
): CalibratedCell[] {
  if (!(priorStrength > 0 && Number.isFinite(priorStrength)))
    throw new RangeError(`prior strength must be a positive number, got ${priorStrength}`);
  return cells.map((c) => {
    const P = c.predictedResponders;
    // nothing predicted: a multiplicative factor cannot turn 0 into anything, keep the old one
    if (!(P > 0)) return { ...c, rawFactor: null, factor: c.previousFactor };
    return {
      ...c,
      rawFactor: (c.previousFactor * c.responders) / P,
      factor: (c.previousFactor * (priorStrength + c.responders)) / (priorStrength + P),
    };
  });
}

export interface CalibrationFactor {
  /** null = customers without a segment */
  segment: string | null;
  offer: string;
  channel: string;
  factor: number;
}

/**
 * The instance with every option's expected return multiplied by its cell's factor (1 where the
 * calibration has none); the input is not changed (a worker keeps it for the next run).
 *
 * r = p · value, so scaling r scales p. The contract caps an effective probability at 1; the
 * instance carries returns, not probabilities, so that cap is not applied again here: it matters
 * only for an option whose p · factor exceeds 1, far above the response rates of a campaign.
 */
export function calibrateInstance(ins: Instance, factors: readonly CalibrationFactor[]): Instance {
  const nO = ins.offerIds.length;
  const nC = ins.channelIds.length;
  const nS = ins.segments.length + 1; // index 0 = no segment
  const table = new Float64Array(nS * nO * nC).fill(1);
  const segmentIndex = new Map(ins.segments.map((s, i) => [s, i + 1]));
  const offerIndex = new Map(ins.offerIds.map((o, i) => [o, i]));
  const channelIndex = new Map(ins.channelIds.map((c, i) => [c, i]));
  for (const f of factors) {
    const s = f.segment === null ? 0 : segmentIndex.get(f.segment);
    const o = offerIndex.get(f.offer);
    const c = channelIndex.get(f.channel);
    // a cell of segments, offers or channels the data no longer has changes nothing
    if (s === undefined || o === undefined || c === undefined) continue;
    table[(s * nO + o) * nC + c] = f.factor;
  }
  const optReturn = new Float64Array(ins.optReturn.length);
  for (let i = 0; i < ins.numCustomers; i++) {
    const s = ins.customerSegment[i]! + 1;
    for (let k = ins.custStart[i]!; k < ins.custStart[i + 1]!; k++)
      optReturn[k] =
        ins.optReturn[k]! * table[(s * nO + ins.optOffer[k]!) * nC + ins.optChannel[k]!]!;
  }
  return { ...ins, optReturn };
}
