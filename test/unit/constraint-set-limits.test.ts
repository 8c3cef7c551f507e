// Numbers beyond any real campaign are typos or attacks (a budget of 1e300 makes the LP's scaling
// meaningless, a million rules a plan no one can run): the parser refuses them at their field
// and says what the limit is.
import { parseConstraintSet } from "../../src/domain/constraint-set";

const rules = <T>(n: number, rule: (i: number) => T): T[] =>
  Array.from({ length: n }, (_, i) => rule(i));

describe("constraint-set upper bounds", () => {
  it.each([
    [{ budget: 1e16 }, "budget", "1e15"],
    [{ budget: 1e300 }, "budget", "1e15"],
    [{ hurdleRate: 101 }, "hurdleRate", "100"],
    [{ maxOffersPerCustomer: 1e6 }, "maxOffersPerCustomer", "1000"],
    [
      { channelCapacities: [{ channelId: "mail", capacity: 1e13 }] },
      "channelCapacities.0.capacity",
      "1e12",
    ],
    [{ offerVolumes: [{ offerId: "a", min: 1e13 }] }, "offerVolumes.0.min", "1e12"],
    [{ offerVolumes: [{ offerId: "a", max: 2e12 }] }, "offerVolumes.0.max", "1e12"],
    [{ segmentRules: [{ segment: "y", offerId: "a", max: 1e13 }] }, "segmentRules.0.max", "1e12"],
    [{ fatigueRules: [{ maxContacts: 1, windowDays: 1e6 }] }, "fatigueRules.0.windowDays", "36600"],
    [
      { fatigueRules: [{ maxContacts: 1e13, windowDays: 7 }] },
      "fatigueRules.0.maxContacts",
      "1e12",
    ],
    [{ coolOffRules: [{ days: 1e6 }] }, "coolOffRules.0.days", "36600"],
    [
      { sequencingRules: [{ offerId: "a", afterOfferId: "b", minDays: 1e6 }] },
      "sequencingRules.0.minDays",
      "36600",
    ],
    [
      { customCapacities: [{ name: "c", field: "cost", max: 1e16 }] },
      "customCapacities.0.max",
      "1e15",
    ],
    [
      { customCapacities: [{ name: "c", field: "cost", min: -1e16 }] },
      "customCapacities.0.min",
      "1e15",
    ],
    [{ householdRules: [{ maxOffers: 1e13 }] }, "householdRules.0.maxOffers", "1e12"],
    [{ waves: [{ name: "a", offsetDays: 0, budget: 1e16 }] }, "waves.0.budget", "1e15"],
    [{ waves: [{ name: "a", offsetDays: 1e6 }] }, "waves.0.offsetDays", "36600"],
    [
      {
        waves: [
          { name: "a", offsetDays: 0, channelCapacities: [{ channelId: "m", capacity: 1e13 }] },
        ],
      },
      "waves.0.channelCapacities.0.capacity",
      "1e12",
    ],
    [
      { segmentRules: rules(1001, (i) => ({ segment: `s${i}`, offerId: "a", max: 1 })) },
      "segmentRules",
      "1000",
    ],
    [
      { channelCapacities: rules(1001, (i) => ({ channelId: `c${i}`, capacity: 1 })) },
      "channelCapacities",
      "1000",
    ],
    [{ offerVolumes: rules(1001, (i) => ({ offerId: `o${i}`, min: 1 })) }, "offerVolumes", "1000"],
    [
      { householdRules: rules(1001, (i) => ({ name: `h${i}`, maxOffers: 1 })) },
      "householdRules",
      "1000",
    ],
    [
      { exclusionRules: [{ offerIds: rules(1001, (i) => `o${i}`) }] },
      "exclusionRules.0.offerIds",
      "1000",
    ],
  ])("refuses case %# at its field, naming the limit", (input, path, limit) => {
    const res = parseConstraintSet({ name: "big", ...input });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    const p = res.problems.find((x) => x.path === path);
    expect(p).toBeDefined();
    expect(p!.message).toContain(limit);
  });

  it("accepts numbers at the limits", () => {
    const res = parseConstraintSet({
      name: "at the limits",
      budget: 1e15,
      hurdleRate: 100,
      channelCapacities: [{ channelId: "mail", capacity: 1e12 }],
      offerVolumes: [{ offerId: "a", min: 1e12, max: 1e12 }],
      segmentRules: rules(1000, (i) => ({ segment: `s${i}`, offerId: "a", max: 1e12 })),
      fatigueRules: [{ maxContacts: 1e12, windowDays: 36600 }],
    });
    expect(res.ok ? [] : res.problems).toEqual([]);
  });
});
