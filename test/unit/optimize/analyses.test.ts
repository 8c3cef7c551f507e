// Strategic analyses: the budget frontier never falls as the budget rises and its duals agree with
// its finite differences; a capacity sweep does the same for a channel; an offer minimum costs
// what dropping it gains, and a binding minimum's dual has the sign of a cost.
import { datasetToInstance } from "../../../src/generate";
import { budgetFrontier, capacitySweep, offerMinimumCosts } from "../../../src/optimize/analyses";
import { violations } from "../../../src/optimize/evaluate";
import { optimize } from "../../../src/optimize/optimize";

const data = datasetToInstance({ customers: 4000, seed: 21, profile: "default" });
const { instance: inst, constraints: cons } = data;

describe("budget frontier", () => {
  let points: Awaited<ReturnType<typeof budgetFrontier>>;
  const budgets = [1000, 2000, 3000, 4000, 6000, 8000];

  beforeAll(async () => {
    points = await budgetFrontier(inst, { ...cons, hurdleRate: 0.2 }, [...budgets].reverse(), {
      method: "EXACT",
      seed: 1,
    });
  });

  it("has one point per budget, in rising order, each within its budget", () => {
    expect(points.map((p) => p.parameter)).toEqual(budgets);
    for (const p of points) expect(p.cost).toBeLessThanOrEqual(p.parameter! + 1e-6);
  });

  it("never returns less for more budget", () => {
    for (let i = 1; i < points.length; i++)
      expect(points[i]!.expectedReturn).toBeGreaterThanOrEqual(
        points[i - 1]!.expectedReturn - 1e-9,
      );
  });

  it("has budget duals consistent with the finite differences of the bound", () => {
    // The Lagrangian bound is concave in the budget and its multiplier is a supergradient, so the
    // slope to the right is at most the dual and the slope to the left at least the dual.
    for (let i = 1; i < points.length - 1; i++) {
      const [a, b, c] = [points[i - 1]!, points[i]!, points[i + 1]!];
      const left = (b.upperBound! - a.upperBound!) / (b.parameter! - a.parameter!);
      const right = (c.upperBound! - b.upperBound!) / (c.parameter! - b.parameter!);
      const tol = 0.02 * Math.max(1, Math.abs(b.dual!));
      expect(b.dual!).toBeLessThanOrEqual(left + tol);
      expect(b.dual!).toBeGreaterThanOrEqual(right - tol);
    }
  });

  it("marks where the next dollar returns less than the hurdle, and only from there on", () => {
    const marks = points.map((p) => p.belowHurdle);
    points.forEach((p, i) => expect(marks[i]).toBe(p.dual! < 1.2));
    const first = marks.indexOf(true);
    expect(first).toBeGreaterThan(0); // this range crosses the hurdle
    expect(marks.slice(first).every(Boolean)).toBe(true);
    expect(marks.slice(0, first).some(Boolean)).toBe(false);
  });
});

describe("capacity sweep", () => {
  it("values one more contact of a binding channel at its dual, and never falls", async () => {
    const k = inst.channelIds.indexOf("call_centre");
    const base = { ...cons, budget: Infinity };
    const points = await capacitySweep(inst, base, k, [50, 100, 150, 200], {
      method: "EXACT",
      seed: 1,
    });
    for (let i = 1; i < points.length; i++)
      expect(points[i]!.value).toBeGreaterThanOrEqual(points[i - 1]!.value - 1e-9);
    for (const p of points) {
      const row = p.constraintReport.find((c) => c.name === "capacity:call_centre")!;
      expect(row.activity).toBeLessThanOrEqual(p.parameter! + 1e-9);
    }
    // a capacity that binds has a positive value per contact
    const tight = points[0]!;
    expect(tight.constraintReport.find((c) => c.name === "capacity:call_centre")!.binding).toBe(
      true,
    );
    expect(tight.dual!).toBeGreaterThan(0);
  });
});

describe("offer minimum costs", () => {
  it("prices each minimum by the plan without it", async () => {
    const o = inst.offerIds.indexOf(inst.offerIds.find((_, i) => cons.offerMin[i]! > 0)!);
    expect(o).toBeGreaterThanOrEqual(0);
    const offerMin = Float64Array.from(cons.offerMin);
    offerMin[o] = offerMin[o]! * 3; // make it bite
    const base = { ...cons, offerMin };
    const points = await offerMinimumCosts(inst, base, { method: "EXACT", seed: 1 });
    const withMin = points.length;
    expect(withMin).toBe([...offerMin].filter((m) => m > 0).length + 1);
    const p = points.find((q) => q.label === `without offer_min:${inst.offerIds[o]}`)!;
    expect(p.marginalReturn).toBeCloseTo(Math.max(0, p.value - points[0]!.value), 9);
    // check against an independent run without that minimum
    const without = Float64Array.from(offerMin);
    without[o] = 0;
    const direct = await optimize(
      inst,
      { ...base, offerMin: without },
      { method: "EXACT", seed: 1 },
    );
    expect(violations(inst, { ...base, offerMin: without }, direct.selected)).toEqual([]);
    expect(Math.abs(direct.value - p.value) / direct.value).toBeLessThan(1e-3);
    // a binding minimum costs return: its dual is ≤ 0
    const row = points[0]!.constraintReport.find(
      (c) => c.name === `offer_min:${inst.offerIds[o]}`,
    )!;
    if (row.binding) expect(p.dual!).toBeLessThanOrEqual(1e-9);
  });
});
