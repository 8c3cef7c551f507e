// A simulated campaign with known truth: customers with segments, eligible (offer, channel)
// options with scored probabilities, a plan (one option per customer), its holdout, and responses
// drawn from true probabilities that differ from the scores by a known factor per cell. Nothing
// here shares code with the estimators under test except the holdout, which it exercises.
import type { Instance } from "../../../src/optimize/instance";
import { Rng } from "../../../src/optimize/rng";
import { selectControl, type ResultCell } from "../../../src/results";

export interface Campaign {
  ins: Instance;
  selected: Uint8Array;
  control: Uint8Array;
  /** scored probability per option */
  score: Float64Array;
  /** true response probability per option when contacted / when not contacted */
  pTreated: Float64Array;
  pUntreated: Float64Array;
}

export interface CampaignSpec {
  customers: number;
  segments: number;
  offers: number;
  channels: number;
  controlShare: number;
  /** true probability / scored probability when contacted, per segment × offer × channel */
  trueFactor(segment: number, offer: number, channel: number): number;
  /** probability of responding without contact, as a share of the scored probability */
  organicShare: number;
}

/** a deterministic campaign for a seed */
export function simulateCampaign(seed: number, spec: CampaignSpec): Campaign {
  const rng = new Rng(seed);
  const custStart = [0];
  const optOffer: number[] = [];
  const optChannel: number[] = [];
  const customerSegment: number[] = [];
  const score: number[] = [];
  for (let i = 0; i < spec.customers; i++) {
    customerSegment.push(rng.int(spec.segments + 1) - 1); // some customers have no segment
    const propensity = 0.02 + 0.1 * rng.float();
    for (let o = 0; o < spec.offers; o++) {
      if (rng.float() < 0.4) continue;
      for (let k = 0; k < spec.channels; k++) {
        optOffer.push(o);
        optChannel.push(k);
        score.push(Math.min(0.6, propensity * (0.6 + 0.3 * k) * (0.5 + rng.float())));
      }
    }
    custStart.push(optOffer.length);
  }
  const n = optOffer.length;
  const ins: Instance = {
    numCustomers: spec.customers,
    offerIds: Array.from({ length: spec.offers }, (_, o) => `o${o}`),
    channelIds: Array.from({ length: spec.channels }, (_, k) => `ch${k}`),
    segments: Array.from({ length: spec.segments }, (_, s) => `s${s}`),
    customerSegment: Int32Array.from(customerSegment),
    customerKey: Int32Array.from({ length: spec.customers }, (_, i) => i + 1),
    custStart: Int32Array.from(custStart),
    optOffer: Int32Array.from(optOffer),
    optChannel: Int32Array.from(optChannel),
    optReturn: Float64Array.from(score, (p) => p * 100),
    optCost: new Float64Array(n).fill(1),
  };
  // the plan: one random option per customer who has any
  const selected = new Uint8Array(n);
  for (let i = 0; i < spec.customers; i++) {
    const a = custStart[i]!;
    const b = custStart[i + 1]!;
    if (b > a) selected[a + rng.int(b - a)] = 1;
  }
  const pTreated = new Float64Array(n);
  const pUntreated = new Float64Array(n);
  for (let i = 0; i < spec.customers; i++)
    for (let k = custStart[i]!; k < custStart[i + 1]!; k++) {
      const f = spec.trueFactor(customerSegment[i]!, optOffer[k]!, optChannel[k]!);
      pTreated[k] = Math.min(1, score[k]! * f);
      pUntreated[k] = spec.organicShare * score[k]!;
    }
  return {
    ins,
    selected,
    control: selectControl(ins, selected, spec.controlShare, seed),
    score: Float64Array.from(score),
    pTreated,
    pUntreated,
  };
}

export interface Outcome {
  cells: ResultCell[];
  /** the true uplift of the whole plan: mean over its assignments of pTreated − pUntreated */
  trueUplift: number;
  /** per cell key "segment/offer/channel" */
  trueCellUplift: Map<string, number>;
}

export const cellKey = (segment: string | null, offer: string | null, channel: string | null) =>
  `${segment ?? "-"}/${offer}/${channel}`;

/** draws responses (revenue 50 per responder) and counts them per cell, as the service would */
export function respond(c: Campaign, seed: number): Outcome {
  const rng = new Rng(seed ^ 0x2545f491);
  const { ins } = c;
  const cells = new Map<string, ResultCell>();
  const truth = new Map<string, { sum: number; n: number }>();
  let sum = 0;
  let n = 0;
  for (let i = 0; i < ins.numCustomers; i++) {
    const s = ins.customerSegment[i]!;
    for (let k = ins.custStart[i]!; k < ins.custStart[i + 1]!; k++) {
      if (!c.selected[k]) continue;
      const segment = s < 0 ? null : ins.segments[s]!;
      const offer = ins.offerIds[ins.optOffer[k]!]!;
      const channel = ins.channelIds[ins.optChannel[k]!]!;
      const key = cellKey(segment, offer, channel);
      let cell = cells.get(key);
      if (!cell)
        cells.set(
          key,
          (cell = {
            segment,
            offer,
            channel,
            treatment: { customers: 0, responders: 0, revenue: 0 },
            control: { customers: 0, responders: 0, revenue: 0 },
            predictedSum: 0,
            predictedCount: 0,
          }),
        );
      const isControl = c.control[k] === 1;
      const g = isControl ? cell.control : cell.treatment;
      const responded = rng.float() < (isControl ? c.pUntreated[k]! : c.pTreated[k]!);
      g.customers++;
      if (responded) {
        g.responders++;
        g.revenue += 50;
      }
      if (!isControl) {
        cell.predictedSum += c.score[k]!;
        cell.predictedCount++;
      }
      const u = c.pTreated[k]! - c.pUntreated[k]!;
      sum += u;
      n++;
      const t = truth.get(key) ?? { sum: 0, n: 0 };
      t.sum += u;
      t.n++;
      truth.set(key, t);
    }
  }
  return {
    cells: [...cells.values()],
    trueUplift: sum / n,
    trueCellUplift: new Map([...truth].map(([k, t]) => [k, t.sum / t.n])),
  };
}
