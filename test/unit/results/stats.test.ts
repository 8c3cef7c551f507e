// The uplift interval: Newcombe's published values, and its coverage on simulated campaigns whose
// true response probabilities are known (responses drawn from them, seeded).
import { measure, newcombeDifference, wilson } from "../../../src/results";
import { cellKey, respond, simulateCampaign, type CampaignSpec } from "./simulate";

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

describe("Wilson and Newcombe intervals", () => {
  it("reproduce Newcombe (1998), method 10", () => {
    // Statistics in Medicine 17:873–890, table II (hybrid score interval)
    const cases: [number, number, number, number, number, number][] = [
      [56, 70, 48, 80, 0.0524, 0.3339],
      [9, 10, 3, 10, 0.1705, 0.809],
      [5, 56, 0, 29, -0.0381, 0.1926],
      [0, 10, 0, 20, -0.1611, 0.2775],
      [0, 10, 0, 10, -0.2775, 0.2775],
      [10, 10, 0, 20, 0.6791, 1],
    ];
    for (const [x1, n1, x2, n2, low, high] of cases) {
      const d = newcombeDifference(x1, n1, x2, n2)!;
      expect([round4(d.low), round4(d.high)]).toEqual([low, high]);
      expect(d.estimate).toBeCloseTo(x1 / n1 - x2 / n2, 12);
    }
  });

  it("Wilson: bounds in [0, 1], exact at 0 and n, nothing for an empty group", () => {
    expect(wilson(0, 10)!.low).toBe(0);
    expect(round4(wilson(0, 10)!.high)).toBe(0.2775);
    expect(wilson(10, 10)!.high).toBe(1);
    expect(round4(wilson(81, 263)!.low)).toBe(0.2553);
    expect(round4(wilson(81, 263)!.high)).toBe(0.3662);
    expect(wilson(0, 0)).toBeNull();
    expect(newcombeDifference(1, 10, 0, 0)).toBeNull();
  });
});

const SPEC: CampaignSpec = {
  customers: 4000,
  segments: 3,
  offers: 3,
  channels: 2,
  controlShare: 0.2,
  trueFactor: (s, o, k) => 0.8 + 0.15 * (s + 1) + 0.2 * o - 0.1 * k,
  organicShare: 0.4,
};

describe("uplift interval on simulated campaigns", () => {
  // 200 campaigns: the plan's 95 % interval must cover its true uplift about 95 % of the time.
  // With 200 draws the observed rate has a standard deviation of 1.5 points, so [0.92, 0.98] is
  // two of them; an interval that is too narrow (e.g. Wald at z = 1.64) or too wide (z = 2.6)
  // falls outside.
  const SEEDS = Array.from({ length: 200 }, (_, i) => 1000 + i);
  const outcomes = SEEDS.map((seed) => respond(simulateCampaign(seed, SPEC), seed));

  it("covers the plan's true uplift at the stated rate over 200 seeds", () => {
    let covered = 0;
    for (const o of outcomes) {
      const t = measure(o.cells).total;
      expect(t.control.customers).toBeGreaterThan(400);
      if (t.upliftCiLow! <= o.trueUplift && o.trueUplift <= t.upliftCiHigh!) covered++;
    }
    const coverage = covered / SEEDS.length;
    expect(coverage).toBeGreaterThanOrEqual(0.92);
    expect(coverage).toBeLessThanOrEqual(0.98);
  });

  it("covers each cell's true uplift at about the stated rate, small control groups included", () => {
    let covered = 0;
    let total = 0;
    for (const o of outcomes) {
      for (const c of measure(o.cells).cells) {
        if (c.upliftCiLow === null) continue;
        const truth = o.trueCellUplift.get(cellKey(c.segment, c.offer, c.channel))!;
        total++;
        if (c.upliftCiLow <= truth && truth <= c.upliftCiHigh!) covered++;
      }
    }
    expect(total).toBeGreaterThan(3000);
    expect(covered / total).toBeGreaterThanOrEqual(0.93);
    expect(covered / total).toBeLessThanOrEqual(0.98);
  });

  it("estimates without bias: the mean estimate is the mean truth", () => {
    const err = outcomes.map((o) => measure(o.cells).total.uplift! - o.trueUplift);
    const mean = err.reduce((s, e) => s + e, 0) / err.length;
    const sd = Math.sqrt(err.reduce((s, e) => s + (e - mean) ** 2, 0) / (err.length - 1));
    expect(Math.abs(mean)).toBeLessThan((3 * sd) / Math.sqrt(err.length));
  });
});
