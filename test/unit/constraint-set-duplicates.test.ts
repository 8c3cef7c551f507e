// Every rule of a constraint set becomes a constraint-report row whose name is unique within the
// plan; a set with two rules of one name would fail every plan, so the parser refuses it and names
// the earlier rule.
import { parseConstraintSet, type FieldProblem } from "../../src/domain/constraint-set";

const base = { name: "dup" };

function problems(input: object): FieldProblem[] {
  const res = parseConstraintSet({ ...base, ...input });
  return res.ok ? [] : res.problems;
}

describe("constraint-set rules that would share a report row", () => {
  it("refuses a segment rule repeated with the same segment and offer", () => {
    const p = problems({
      segmentRules: [
        { segment: "youth", offerId: "mortgage", max: 0 },
        { segment: "premium", offerId: "mortgage", max: 5 },
        { segment: "youth", offerId: "mortgage", max: 3 },
      ],
    });
    expect(p).toHaveLength(1);
    expect(p[0]!.path).toBe("segmentRules.2");
    expect(p[0]!.message).toMatch(/segmentRules\.0/);
  });

  it("refuses max and minShare rules for the same segment, offer and channel", () => {
    const p = problems({
      segmentRules: [
        { segment: "y", offerId: "a", channelId: "mail", max: 10 },
        { segment: "y", offerId: "a", channelId: "mail", minShare: 0.1 },
      ],
    });
    expect(p.map((x) => x.path)).toEqual(["segmentRules.1"]);
  });

  it("accepts rules that differ in offer or channel", () => {
    expect(
      problems({
        segmentRules: [
          { segment: "y", offerId: "a", max: 10 },
          { segment: "y", offerId: "a", channelId: "mail", max: 10 },
          { segment: "y", channelId: "mail", max: 10 },
          { segment: "y", offerId: "b", max: 10 },
        ],
      }),
    ).toEqual([]);
  });

  it("refuses segment rules whose generated names coincide", () => {
    const p = problems({
      segmentRules: [
        { segment: "m/offer:x", channelId: "c", max: 1 },
        { segment: "m", offerId: "x", channelId: "c", max: 2 },
      ],
    });
    expect(p.map((x) => x.path)).toEqual(["segmentRules.1"]);
  });

  it.each([
    [
      "fatigue rules with the same window and filters",
      {
        fatigueRules: [
          { maxContacts: 2, windowDays: 30 },
          { maxContacts: 3, windowDays: 30 },
        ],
      },
      "fatigueRules.1",
      "fatigueRules.0",
    ],
    [
      "cool-off rules for the same offer and days",
      {
        coolOffRules: [
          { days: 7, offerId: "a" },
          { days: 7, offerId: "a" },
        ],
      },
      "coolOffRules.1",
      "coolOffRules.0",
    ],
    [
      "exclusions of the same offers",
      { exclusionRules: [{ offerIds: ["a", "b"] }, { offerIds: ["a", "b"] }] },
      "exclusionRules.1",
      "exclusionRules.0",
    ],
    [
      "sequencing rules alike",
      {
        sequencingRules: [
          { offerId: "a", afterOfferId: "b", minDays: 3 },
          { offerId: "a", afterOfferId: "b", minDays: 3 },
        ],
      },
      "sequencingRules.1",
      "sequencingRules.0",
    ],
    [
      "household rules on the same attribute",
      { householdRules: [{ maxOffers: 1 }, { maxOffers: 2 }] },
      "householdRules.1",
      "householdRules.0",
    ],
    [
      "custom capacities of one name",
      {
        customCapacities: [
          { name: "vip", field: "cost", max: 5 },
          { name: "vip", field: "contacts", max: 5 },
        ],
      },
      "customCapacities.1.name",
      "customCapacities.0",
    ],
    [
      "a custom capacity whose name is another's max row",
      {
        customCapacities: [
          { name: "vip", field: "cost", max: 5, min: 1 },
          { name: "vip:max", field: "contacts", max: 5 },
        ],
      },
      "customCapacities.1.name",
      "customCapacities.0",
    ],
    [
      "a named rule of one list and a generated name of another",
      {
        coolOffRules: [{ days: 7 }],
        fatigueRules: [{ name: "cool_off:7d", maxContacts: 1, windowDays: 7 }],
      },
      "coolOffRules.0",
      "fatigueRules.0",
    ],
    [
      "a named policy and a segment rule",
      {
        segmentRules: [{ segment: "y", offerId: "a", max: 1 }],
        householdRules: [{ name: "segment:y/offer:a", maxOffers: 1 }],
      },
      "householdRules.0.name",
      "segmentRules.0",
    ],
    [
      "a policy named like a wave's budget row",
      {
        waves: [
          { name: "jan", offsetDays: 0, budget: 10 },
          { name: "feb", offsetDays: 30 },
        ],
        householdRules: [{ name: "budget@jan", maxOffers: 1 }],
      },
      "householdRules.0.name",
      "waves.0",
    ],
  ])("refuses %s", (_what, input, path, earlier) => {
    const p = problems(input);
    expect(p.map((x) => x.path)).toEqual([path]);
    expect(p[0]!.message).toContain(earlier);
  });

  it.each(["budget", "hurdle", "offers_per_customer", "capacity:mail", "offer_min:a"])(
    "refuses a rule named %s, a name the plan's own rows use",
    (name) => {
      const p = problems({ fatigueRules: [{ name, maxContacts: 1, windowDays: 7 }] });
      expect(p.map((x) => x.path)).toEqual(["fatigueRules.0.name"]);
    },
  );
});
