import { parseConstraintSet, type ConstraintSetDefinition } from "../../src/domain/constraint-set";
import { ConstraintResolutionError } from "../../src/domain/resolution-error";
import { resolveConstraints, type ConstraintContext } from "../../src/services/resolve-constraints";

function def(input: Record<string, unknown>): ConstraintSetDefinition {
  const r = parseConstraintSet({ name: "t", ...input });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
}

const ctx: ConstraintContext = {
  offerIds: ["resp", "card", "mortgage"],
  channelIds: ["mail", "call_centre", "branch"],
  segments: ["premium", "youth"],
  channelCapacity: [Infinity, 500, 250],
  offerMin: [10, 0, 0],
  offerMax: [Infinity, 1000, Infinity],
};

describe("resolveConstraints", () => {
  it("takes the dataset's limits when the set gives none", () => {
    const c = resolveConstraints(def({}), ctx);
    expect(c.objective).toBe("EXPECTED_RETURN");
    expect(c.budget).toBe(Infinity);
    expect(c.hurdleRate).toBeNull();
    expect(c.maxOffersPerCustomer).toBe(1);
    expect(Array.from(c.channelCapacity)).toEqual([Infinity, 500, 250]);
    expect(Array.from(c.offerMin)).toEqual([10, 0, 0]);
    expect(Array.from(c.offerMax)).toEqual([Infinity, 1000, Infinity]);
    expect(c.segmentRules).toEqual([]);
  });

  it("lets the set override capacities and only the volume bounds it gives", () => {
    const c = resolveConstraints(
      def({
        objective: "ROMI",
        budget: 1000,
        hurdleRate: 0.2,
        maxOffersPerCustomer: 2,
        channelCapacities: [{ channelId: "branch", capacity: 100 }],
        offerVolumes: [
          { offerId: "card", min: 20 },
          { offerId: "resp", max: 50 },
        ],
      }),
      ctx,
    );
    expect(c.objective).toBe("ROMI");
    expect(c.budget).toBe(1000);
    expect(c.hurdleRate).toBe(0.2);
    expect(c.maxOffersPerCustomer).toBe(2);
    expect(Array.from(c.channelCapacity)).toEqual([Infinity, 500, 100]);
    expect(Array.from(c.offerMin)).toEqual([10, 20, 0]);
    expect(Array.from(c.offerMax)).toEqual([50, 1000, Infinity]);
  });

  it("resolves segment rules to indexes with readable names", () => {
    const c = resolveConstraints(
      def({
        segmentRules: [
          { segment: "youth", offerId: "mortgage", max: 0 },
          { segment: "premium", channelId: "branch", minShare: 0.3 },
          { segment: "premium", offerId: "card", channelId: "call_centre", max: 5 },
        ],
      }),
      ctx,
    );
    expect(c.segmentRules).toEqual([
      {
        name: "segment:youth/offer:mortgage",
        segment: 1,
        offer: 2,
        channel: -1,
        max: 0,
        minShare: null,
      },
      {
        name: "segment:premium/channel:branch",
        segment: 0,
        offer: -1,
        channel: 2,
        max: null,
        minShare: 0.3,
      },
      {
        name: "segment:premium/offer:card/channel:call_centre",
        segment: 0,
        offer: 1,
        channel: 1,
        max: 5,
        minShare: null,
      },
    ]);
  });

  it("defaults to no limits when the context has no defaults", () => {
    const c = resolveConstraints(def({}), {
      offerIds: ["a"],
      channelIds: ["x", "y"],
      segments: [],
    });
    expect(Array.from(c.channelCapacity)).toEqual([Infinity, Infinity]);
    expect(Array.from(c.offerMin)).toEqual([0]);
    expect(Array.from(c.offerMax)).toEqual([Infinity]);
  });

  it("names every unknown id and contradictory volume by its path", () => {
    let err: unknown;
    try {
      resolveConstraints(
        def({
          channelCapacities: [{ channelId: "email", capacity: 1 }],
          offerVolumes: [
            { offerId: "gold", min: 1 },
            { offerId: "card", min: 2000 },
          ],
          segmentRules: [{ segment: "students", offerId: "loan", max: 0 }],
        }),
        ctx,
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConstraintResolutionError);
    const problems = (err as ConstraintResolutionError).problems;
    expect(problems.map((p) => p.path)).toEqual([
      "channelCapacities.0.channelId",
      "offerVolumes.0.offerId",
      "offerVolumes.1",
      "segmentRules.0.segment",
      "segmentRules.0.offerId",
    ]);
    expect(problems[0].message).toContain('"email"');
    expect(problems[2].message).toContain("2000");
  });

  it("rejects default arrays of the wrong length", () => {
    expect(() => resolveConstraints(def({}), { ...ctx, channelCapacity: [1, 2] })).toThrow(
      RangeError,
    );
  });
});
