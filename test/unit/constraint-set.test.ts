import { parseConstraintSet } from "../../src/domain/constraint-set";

const contractExample = {
  name: "Q3 retail campaign",
  objective: "EXPECTED_RETURN",
  budget: 1000000,
  hurdleRate: 0.2,
  maxOffersPerCustomer: 1,
  channelCapacities: [
    { channelId: "call_centre", capacity: 500000 },
    { channelId: "branch", capacity: 250000 },
  ],
  offerVolumes: [
    { offerId: "resp", min: 2500 },
    { offerId: "card_gold", min: 20000, max: 200000 },
  ],
  segmentRules: [
    { segment: "youth", offerId: "mortgage", max: 0 },
    { segment: "premium", channelId: "branch", minShare: 0.3 },
  ],
};

describe("constraint-set JSON", () => {
  it("accepts the data contract's example unchanged", () => {
    const res = parseConstraintSet(contractExample);
    expect(res.ok).toBe(true);
    if (res.ok) expect(res.value).toMatchObject(contractExample);
  });

  it("fills the contract's defaults", () => {
    const res = parseConstraintSet({ name: "minimal" });
    expect(res).toEqual({
      ok: true,
      value: {
        name: "minimal",
        objective: "EXPECTED_RETURN",
        maxOffersPerCustomer: 1,
        channelCapacities: [],
        offerVolumes: [],
        segmentRules: [],
      },
    });
  });

  it.each([
    [{ ...contractExample, budget: -1 }, "budget"],
    [{ ...contractExample, objective: "PROFIT" }, "objective"],
    [{ ...contractExample, maxOffersPerCustomer: 0 }, "maxOffersPerCustomer"],
    [
      { ...contractExample, channelCapacities: [{ channelId: "branch", capacity: 1.5 }] },
      "channelCapacities.0.capacity",
    ],
    [
      { ...contractExample, offerVolumes: [{ offerId: "a", min: 10, max: 5 }] },
      "offerVolumes.0.min",
    ],
    [
      { ...contractExample, segmentRules: [{ segment: "youth", max: 0 }] },
      "segmentRules.0.offerId",
    ],
    [
      { ...contractExample, segmentRules: [{ segment: "y", offerId: "a", max: 1, minShare: 0.1 }] },
      "segmentRules.0.max",
    ],
    [{ ...contractExample, surprise: 1 }, "surprise"],
    [
      {
        ...contractExample,
        offerVolumes: [
          { offerId: "a", min: 1 },
          { offerId: "a", min: 2 },
        ],
      },
      "offerVolumes.1.offerId",
    ],
  ])("rejects bad input with the field path (%#)", (input, path) => {
    const res = parseConstraintSet(input);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.problems.map((p) => p.path)).toContain(path);
  });
});

describe("unknown fields", () => {
  it("are named at their place, with the nearest known field", () => {
    const r = parseConstraintSet({
      name: "x",
      hurdle: 0.2,
      channelCapacities: [{ channel: "branch", channelId: "branch", capacity: 3 }],
      zzz: 1,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      {
        path: "channelCapacities.0.channel",
        message: 'unknown field "channel"; did you mean "channelId"?',
      },
      { path: "hurdle", message: 'unknown field "hurdle"; did you mean "hurdleRate"?' },
      { path: "zzz", message: 'unknown field "zzz"' },
    ]);
  });
});
