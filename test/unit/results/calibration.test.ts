// Recalibration: the Gamma–Poisson shrinkage formula, its application to an instance, and, on a
// simulated campaign whose true probabilities differ from the scores by known factors, that the
// learnt factors move the predicted probabilities toward the truth and a second round keeps them there.
import {
  calibrateInstance,
  DEFAULT_PRIOR_STRENGTH,
  recalibrate,
  type CalibrationInput,
} from "../../../src/results";
import { cellKey, respond, simulateCampaign, type Campaign, type CampaignSpec } from "./simulate";

const cell = (over: Partial<CalibrationInput>): CalibrationInput => ({
  segment: "s",
  offer: "o",
  channel: "c",
  customers: 1000,
  responders: 50,
  predictedResponders: 50,
  previousFactor: 1,
  ...over,
});

describe("recalibrate", () => {
  it("shrinks the measured ratio toward the previous factor by the prior strength", () => {
    const a = DEFAULT_PRIOR_STRENGTH;
    const [same, more, small, none, chained] = recalibrate([
      cell({ responders: 50, predictedResponders: 50 }),
      cell({ responders: 100, predictedResponders: 50 }),
      cell({ responders: 4, predictedResponders: 2 }),
      cell({ responders: 3, predictedResponders: 0 }),
      cell({ responders: 30, predictedResponders: 60, previousFactor: 1.5 }),
    ]);
    expect(same!.factor).toBeCloseTo(1, 12);
    expect(more!.rawFactor).toBeCloseTo(2, 12);
    expect(more!.factor).toBeCloseTo((a + 100) / (a + 50), 12);
    // the same raw ratio moves a small cell far less than a large one
    expect(small!.rawFactor).toBeCloseTo(2, 12);
    expect(small!.factor - 1).toBeLessThan((more!.factor - 1) / 3);
    // nothing predicted: a factor cannot turn 0 into anything, the old one stays
    expect(none!.factor).toBe(1);
    expect(none!.rawFactor).toBeNull();
    // predictions already carried the previous factor: the new one multiplies it
    expect(chained!.rawFactor).toBeCloseTo(0.75, 12);
    expect(chained!.factor).toBeCloseTo((1.5 * (a + 30)) / (a + 60), 12);
  });

  it("follows the data as the prior weakens and ignores it as the prior grows", () => {
    const c = cell({ responders: 80, predictedResponders: 40 });
    expect(recalibrate([c], 1e-9)[0]!.factor).toBeCloseTo(2, 6);
    expect(recalibrate([c], 1e9)[0]!.factor).toBeCloseTo(1, 6);
    expect(() => recalibrate([c], 0)).toThrow(RangeError);
    expect(() => recalibrate([c], Number.NaN)).toThrow(RangeError);
  });
});

describe("calibrateInstance", () => {
  it("multiplies each option's return by its segment × offer × channel factor, on a copy", () => {
    const c = simulateCampaign(2, { ...SPEC, customers: 200 });
    const before = Float64Array.from(c.ins.optReturn);
    const out = calibrateInstance(c.ins, [
      { segment: "s0", offer: "o1", channel: "ch0", factor: 2 },
      { segment: null, offer: "o0", channel: "ch1", factor: 0.5 },
      { segment: "gone", offer: "o0", channel: "ch0", factor: 9 }, // no such segment: ignored
      { segment: "s1", offer: "nope", channel: "ch0", factor: 9 },
    ]);
    expect(c.ins.optReturn).toEqual(before);
    let changed = 0;
    for (let i = 0; i < c.ins.numCustomers; i++)
      for (let k = c.ins.custStart[i]!; k < c.ins.custStart[i + 1]!; k++) {
        const s = c.ins.customerSegment[i];
        const o = c.ins.optOffer[k];
        const ch = c.ins.optChannel[k];
        const f = s === 0 && o === 1 && ch === 0 ? 2 : s === -1 && o === 0 && ch === 1 ? 0.5 : 1;
        if (f !== 1) changed++;
        expect(out.optReturn[k]).toBe(before[k]! * f);
      }
    expect(changed).toBeGreaterThan(5);
  });
});

const SPEC: CampaignSpec = {
  customers: 50000,
  segments: 2,
  offers: 3,
  channels: 2,
  controlShare: 0.1,
  // the scores are off by up to ±40 %, differently in every cell
  trueFactor: (s, o, k) => [0.6, 1.4, 1.0, 0.75, 1.25, 1.1][(s + 1 + 2 * o + 3 * k) % 6]!,
  organicShare: 0.3,
};

/** per cell: Σ true probability / Σ score over the plan's treatment assignments */
function trueFactors(c: Campaign): Map<string, number> {
  const sums = new Map<string, [number, number]>();
  for (let i = 0; i < c.ins.numCustomers; i++)
    for (let k = c.ins.custStart[i]!; k < c.ins.custStart[i + 1]!; k++) {
      if (!c.selected[k] || c.control[k]) continue;
      const s = c.ins.customerSegment[i]!;
      const key = cellKey(
        s < 0 ? null : c.ins.segments[s]!,
        c.ins.offerIds[c.ins.optOffer[k]!]!,
        c.ins.channelIds[c.ins.optChannel[k]!]!,
      );
      const v = sums.get(key) ?? [0, 0];
      v[0] += c.pTreated[k]!;
      v[1] += c.score[k]!;
      sums.set(key, v);
    }
  return new Map([...sums].map(([k, [p, s]]) => [k, p / s]));
}

describe("learning from a simulated campaign", () => {
  it("moves the predicted probabilities toward the true ones, and keeps them there", () => {
    const campaign = simulateCampaign(21, SPEC);
    const truth = trueFactors(campaign);
    const first = respond(campaign, 21);
    const round1 = recalibrate(
      first.cells.map((c) => ({
        segment: c.segment,
        offer: c.offer,
        channel: c.channel,
        customers: c.treatment.customers,
        responders: c.treatment.responders,
        predictedResponders: c.predictedSum,
        previousFactor: 1,
      })),
    );
    expect(round1.length).toBe(truth.size);
    // error of the predicted response count, weighted by how much each cell predicts
    const error = (factor: (key: string) => number) =>
      round1.reduce((s, c) => {
        const key = cellKey(c.segment, c.offer, c.channel);
        return s + c.predictedResponders * Math.abs(factor(key) - truth.get(key)!);
      }, 0);
    const factor1 = new Map(round1.map((c) => [cellKey(c.segment, c.offer, c.channel), c.factor]));
    const before = error(() => 1);
    const after1 = error((k) => factor1.get(k)!);
    expect(after1).toBeLessThan(0.4 * before);
    let off = 0;
    let closer = 0;
    for (const c of round1) {
      const t = truth.get(cellKey(c.segment, c.offer, c.channel))!;
      // shrinkage: the new factor lies between the old one and the data's
      expect(Math.min(1, c.rawFactor!) - 1e-12).toBeLessThanOrEqual(c.factor);
      expect(c.factor).toBeLessThanOrEqual(Math.max(1, c.rawFactor!) + 1e-12);
      // the cells whose scores are off by 10 % or more get closer to their truth (noise may
      // carry one of them past it)
      if (Math.abs(1 - t) < 0.1) continue;
      off++;
      if (Math.abs(c.factor - t) < Math.abs(1 - t)) closer++;
    }
    expect(off).toBeGreaterThan(10);
    expect(closer).toBeGreaterThanOrEqual(off - 1);

    // the next campaign runs on the calibrated scores and is measured again
    const next = respond(campaign, 22);
    const round2 = recalibrate(
      next.cells.map((c) => {
        const f = factor1.get(cellKey(c.segment, c.offer, c.channel))!;
        return {
          segment: c.segment,
          offer: c.offer,
          channel: c.channel,
          customers: c.treatment.customers,
          responders: c.treatment.responders,
          predictedResponders: c.predictedSum * f,
          previousFactor: f,
        };
      }),
    );
    // a second round starts from the learnt factors and stays near the truth: what is left is
    // the noise of one campaign's counts, which more rounds do not remove
    const factor2 = new Map(round2.map((c) => [cellKey(c.segment, c.offer, c.channel), c.factor]));
    expect(error((k) => factor2.get(k)!)).toBeLessThan(0.4 * before);
  });
});
