// The holdout: exact counts per segment × offer stratum, drawn only from the chosen options,
// the same for the same seed, and uniform within a stratum.
import { controlCount, selectControl, treatmentOf } from "../../../src/results";
import { simulateCampaign } from "./simulate";

const spec = {
  customers: 1500,
  segments: 4,
  offers: 5,
  channels: 3,
  controlShare: 0.1,
  trueFactor: () => 1,
  organicShare: 0.5,
};

/** chosen and held-out options per stratum (segment index + 1) × offer, counted here */
function strata(seed: number, share: number) {
  const c = simulateCampaign(seed, spec);
  const control = selectControl(c.ins, c.selected, share, 7);
  const counts = new Map<string, { n: number; control: number }>();
  for (let i = 0; i < c.ins.numCustomers; i++)
    for (let k = c.ins.custStart[i]!; k < c.ins.custStart[i + 1]!; k++) {
      if (control[k]) expect(c.selected[k]).toBe(1);
      if (!c.selected[k]) continue;
      const key = `${c.ins.customerSegment[i]}/${c.ins.optOffer[k]}`;
      const s = counts.get(key) ?? { n: 0, control: 0 };
      s.n++;
      s.control += control[k]!;
      counts.set(key, s);
    }
  return { c, control, counts };
}

describe("holdout", () => {
  it("rounds each stratum's share to the nearest whole number, halves up", () => {
    expect(controlCount(25, 0.1)).toBe(3);
    expect(controlCount(24, 0.1)).toBe(2);
    expect(controlCount(4, 0.1)).toBe(0);
    expect(controlCount(5, 0.7)).toBe(4); // 3.5 in decimal, 3.4999999999999996 in binary
    expect(controlCount(15, 0.3)).toBe(5); // 4.5
    expect(controlCount(1, 0.5)).toBe(1);
    expect(controlCount(1, 0.49)).toBe(0);
    expect(controlCount(0, 0.2)).toBe(0);
    expect(controlCount(1_000_001, 0.1)).toBe(100_000);
  });

  it.each([0.05, 0.1, 0.2, 0.35, 0.5])(
    "holds out exactly controlCount(n, %p) of every segment × offer stratum",
    (share) => {
      const { counts } = strata(3, share);
      expect(counts.size).toBe((spec.segments + 1) * spec.offers);
      for (const [key, s] of counts)
        expect({ key, control: s.control }).toEqual({ key, control: controlCount(s.n, share) });
    },
  );

  it("is the same for the same seed and differs for another", () => {
    const c = simulateCampaign(5, spec);
    const a = selectControl(c.ins, c.selected, 0.2, 11);
    expect(selectControl(c.ins, c.selected, 0.2, 11)).toEqual(a);
    expect(selectControl(c.ins, c.selected, 0.2, 12)).not.toEqual(a);
  });

  it("holds nothing out at share 0 and rejects shares outside [0, 1)", () => {
    const c = simulateCampaign(5, spec);
    expect(selectControl(c.ins, c.selected, 0, 1).every((v) => v === 0)).toBe(true);
    expect(() => selectControl(c.ins, c.selected, 1, 1)).toThrow(RangeError);
    expect(() => selectControl(c.ins, c.selected, -0.1, 1)).toThrow(RangeError);
    expect(() => selectControl(c.ins, c.selected, NaN, 1)).toThrow(RangeError);
  });

  it("treatment = chosen and not held out", () => {
    const c = simulateCampaign(5, spec);
    const t = treatmentOf(c.selected, c.control);
    const expected = c.selected.map((v, k) => (v && !c.control[k] ? 1 : 0));
    expect(t).toEqual(expected);
    expect(t.some((v) => v === 1) && c.control.some((v) => v === 1)).toBe(true);
  });

  it("gives every chosen option of a stratum the same chance", () => {
    const c = simulateCampaign(9, { ...spec, customers: 300 });
    const hits = new Float64Array(c.selected.length);
    const seeds = 2000;
    for (let s = 0; s < seeds; s++) {
      const control = selectControl(c.ins, c.selected, 0.3, s);
      for (let k = 0; k < control.length; k++) hits[k]! += control[k]!;
    }
    // per stratum, every member is held out in about controlCount(n)/n of the seeds
    const members = new Map<string, number[]>();
    for (let i = 0; i < c.ins.numCustomers; i++)
      for (let k = c.ins.custStart[i]!; k < c.ins.custStart[i + 1]!; k++)
        if (c.selected[k]) {
          const key = `${c.ins.customerSegment[i]}/${c.ins.optOffer[k]}`;
          members.set(key, [...(members.get(key) ?? []), k]);
        }
    for (const ks of members.values()) {
      const expected = controlCount(ks.length, 0.3) / ks.length;
      const sd = Math.sqrt((expected * (1 - expected)) / seeds);
      for (const k of ks)
        expect(Math.abs(hits[k]! / seeds - expected)).toBeLessThanOrEqual(5 * sd + 1e-12);
    }
  });
});
