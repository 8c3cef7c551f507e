// Multi-period planning: a calendar of waves optimised at once, checked against brute force and
// against the calendar's rules computed directly from wave days and histories.
import { expandCalendar, type Wave } from "../../../src/optimize/calendar";
import { violations } from "../../../src/optimize/evaluate";
import { optimize } from "../../../src/optimize/optimize";
import type { FatiguePolicy, Policy } from "../../../src/optimize/policy-types";
import { Rng } from "../../../src/optimize/rng";
import { bruteByEvaluate, randomInstance, unconstrained } from "./helpers";

function fatigue(n: number, prior: number[], limit: number, windowDays: number): FatiguePolicy {
  return {
    kind: "fatigue",
    name: "fatigue:30d",
    reportOnly: false,
    limit,
    windowDays,
    filter: { offers: null, channels: null },
    prior: Uint16Array.from({ length: n }, (_, i) => prior[i] ?? 0),
  };
}

describe("campaign calendar", () => {
  it("every method meets per-wave budgets, capacities and fatigue across waves; brute force bounds it", async () => {
    let checked = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const inst = randomInstance(100 + seed, {
        customers: 4,
        offers: 2,
        channels: 1,
        density: 0.9,
        dnc: 0,
      });
      const n = inst.numCustomers;
      const rng = new Rng(seed);
      const cons = unconstrained(inst, 1);
      cons.offerMin[0] = 1;
      // history: wave 1 sees the last contacts, wave 2 (20 days later) sees fewer of them
      const prior1 = Array.from({ length: n }, () => rng.int(3));
      const prior2 = prior1.map((x) => Math.max(0, x - rng.int(2)));
      const pol = (prior: number[]): Policy[] => [fatigue(n, prior, 2, 30)];
      const waves: Wave[] = [
        {
          name: "w1",
          offsetDays: 0,
          budget: 4 + 4 * rng.float(),
          channelCapacity: Float64Array.of(2),
          policies: pol(prior1),
        },
        {
          name: "w2",
          offsetDays: 20,
          budget: Infinity,
          channelCapacity: Float64Array.of(Infinity),
          policies: pol(prior2),
        },
      ];
      const cal = expandCalendar(inst, cons, waves);
      const best = bruteByEvaluate(cal.inst, cal.cons);
      for (const method of ["EXACT", "CLUSTER_LP", "GREEDY"] as const) {
        let res;
        try {
          res = await optimize(cal.inst, cal.cons, { method, clusters: 2, seed });
        } catch {
          if (best !== null) expect(method).toBe("GREEDY");
          continue;
        }
        expect(best).not.toBeNull();
        expect(violations(cal.inst, cal.cons, res.selected)).toEqual([]);
        expect(res.value).toBeLessThanOrEqual(best! + 1e-6);
        if (method === "EXACT") {
          expect(res.upperBound!).toBeGreaterThanOrEqual(best! - 1e-6);
        }
        // the calendar's rules, from wave days and histories directly
        const perWave = [new Array<number>(n).fill(0), new Array<number>(n).fill(0)];
        const cost = [0, 0];
        const used = [0, 0];
        const offers = Array.from({ length: n }, () => new Set<number>());
        for (let i = 0; i < n; i++) {
          for (let q = cal.inst.custStart[i]; q < cal.inst.custStart[i + 1]; q++) {
            if (!res.selected[q]) continue;
            const w = cal.optWave[q];
            const p = cal.optBase[q];
            perWave[w][i]++;
            cost[w] += inst.optCost[p];
            used[w]++;
            expect(offers[i].has(inst.optOffer[p])).toBe(false);
            offers[i].add(inst.optOffer[p]);
          }
        }
        expect(cost[0]).toBeLessThanOrEqual(waves[0].budget + 1e-9);
        expect(used[0]).toBeLessThanOrEqual(2);
        for (let i = 0; i < n; i++) {
          expect(perWave[0][i]).toBeLessThanOrEqual(1);
          expect(perWave[1][i]).toBeLessThanOrEqual(1);
          // window ending on wave 1: history + wave 1; on wave 2 (20 < 30 days): history + both
          if (perWave[0][i] > 0) expect(prior1[i] + perWave[0][i]).toBeLessThanOrEqual(2);
          if (perWave[1][i] > 0) {
            expect(prior2[i] + perWave[0][i] + perWave[1][i]).toBeLessThanOrEqual(2);
          }
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(6);
  });

  it("moves a customer to the wave where the fatigue window has room", async () => {
    const inst = randomInstance(7, { customers: 2, offers: 1, channels: 1, density: 1, dnc: 0 });
    const cons = unconstrained(inst, 1);
    // customer 0 was contacted 10 days before wave 1; the 30-day window has no room on wave 1
    // but the contact is 40 days old by wave 2
    const waves: Wave[] = [
      {
        name: "jan",
        offsetDays: 0,
        budget: Infinity,
        channelCapacity: Float64Array.of(Infinity),
        policies: [fatigue(2, [1, 0], 1, 30)],
      },
      {
        name: "feb",
        offsetDays: 30,
        budget: Infinity,
        channelCapacity: Float64Array.of(Infinity),
        policies: [fatigue(2, [0, 0], 1, 30)],
      },
    ];
    const cal = expandCalendar(inst, cons, waves);
    const res = await optimize(cal.inst, cal.cons, { method: "EXACT" });
    const chosen = [0, 1].map((i) => {
      for (let q = cal.inst.custStart[i]; q < cal.inst.custStart[i + 1]; q++) {
        if (res.selected[q]) return cal.waves[cal.optWave[q]].name;
      }
      return null;
    });
    expect(chosen[0]).toBe("feb");
    expect(chosen[1]).not.toBeNull();
    expect(res.gap).toBeLessThanOrEqual(1e-9);
    expect(res.constraintReport.map((r) => r.name)).toEqual(
      expect.arrayContaining(["offers_per_customer@jan", "fatigue:30d@jan", "fatigue:30d@feb"]),
    );
  });
});
