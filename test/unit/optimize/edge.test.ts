import { optimize } from "../../../src/optimize/optimize";
import type { Instance } from "../../../src/optimize/instance";
import { violations } from "../../../src/optimize/evaluate";
import { randomInstance, unconstrained } from "./helpers";

const METHODS = ["GREEDY", "EXACT", "CLUSTER_LP"] as const;

describe("edge cases", () => {
  test.each(METHODS)("%s: nobody can be contacted", async (method) => {
    const inst: Instance = {
      numCustomers: 3,
      offerIds: ["a"],
      channelIds: ["mail"],
      segments: [],
      customerSegment: Int32Array.from([-1, -1, -1]),
      customerKey: Int32Array.from([1, 2, 3]),
      custStart: new Int32Array(4),
      optOffer: new Int32Array(0),
      optChannel: new Int32Array(0),
      optReturn: new Float64Array(0),
      optCost: new Float64Array(0),
    };
    const res = await optimize(inst, unconstrained(inst), { method });
    expect(res.kpis.contacts).toBe(0);
    expect(res.value).toBe(0);
  });

  test.each(METHODS)("%s: zero budget, more offers per customer than offers", async (method) => {
    const inst = randomInstance(5, { customers: 40, offers: 2, channels: 2 });
    const cons = unconstrained(inst, 5);
    cons.budget = 0;
    const res = await optimize(inst, cons, { method, clusters: 3 });
    expect(res.kpis.cost).toBe(0);
    expect(violations(inst, cons, res.selected)).toEqual([]);
  });

  test.each(METHODS)(
    "%s: no constraints at all takes every customer's best offers",
    async (method) => {
      const inst = randomInstance(6, { customers: 60, offers: 3, channels: 2 });
      const cons = unconstrained(inst, 2);
      const res = await optimize(inst, cons, { method, clusters: 3 });
      // best two offers (distinct) per customer by return
      let best = 0;
      for (let i = 0; i < inst.numCustomers; i++) {
        const byOffer = new Map<number, number>();
        for (let p = inst.custStart[i]; p < inst.custStart[i + 1]; p++) {
          const o = inst.optOffer[p];
          byOffer.set(o, Math.max(byOffer.get(o) ?? 0, inst.optReturn[p]));
        }
        best += [...byOffer.values()]
          .sort((a, b) => b - a)
          .slice(0, 2)
          .reduce((a, b) => a + b, 0);
      }
      expect(res.value).toBeCloseTo(best, 6);
    },
  );

  test("invalid input is rejected with the reason", async () => {
    const inst = randomInstance(7, { customers: 5, offers: 2, channels: 2 });
    const bad = { ...inst, optCost: Float64Array.from(inst.optCost, (c, p) => (p === 2 ? -1 : c)) };
    await expect(optimize(bad, unconstrained(bad), { method: "EXACT" })).rejects.toThrow(
      /option 2 .*cost -1/,
    );
  });
});
