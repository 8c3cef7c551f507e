// Strategic analyses: the budget frontier never falls as the budget rises and its duals agree with
// its finite differences; a capacity sweep does the same for a channel; an offer minimum costs
// what dropping it gains, a binding minimum's dual has the sign of a cost, and a minimum that
// does not bind costs exactly 0 without a run of its own.
import { datasetToInstance } from "../../../src/generate";
import {
  budgetFrontier,
  capacitySweep,
  minimumBinds,
  offerMinimumCosts,
  type AnalysisPoint,
} from "../../../src/optimize/analyses";
import { violations } from "../../../src/optimize/evaluate";
import * as optimizeModule from "../../../src/optimize/optimize";
import { optimize } from "../../../src/optimize/optimize";

/** Every point's report: a row that does not bind is worth 0 (null for an unpriced method). */
function expectZeroDualsOffBinding(points: AnalysisPoint[]): void {
  for (const p of points)
    for (const row of p.constraintReport)
      if (!row.binding && row.dual !== null)
        expect({ [row.name]: row.dual }).toEqual({ [row.name]: 0 });
}

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
    expectZeroDualsOffBinding(points);
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

describe("a run that lands below the point before it", () => {
  afterEach(() => jest.restoreAllMocks());

  it("keeps the earlier plan with its own prices: the budget it leaves unspent is worth 0", async () => {
    const real = optimize;
    // the second point's run returns the plan at a lower budget, as a noisy heuristic might
    jest
      .spyOn(optimizeModule, "optimize")
      .mockImplementationOnce(real)
      .mockImplementationOnce((i, c, o) => real(i, { ...c, budget: 1000 }, o));
    const points = await budgetFrontier(inst, cons, [1500, 2500], {
      method: "CLUSTER_LP",
      seed: 1,
    });
    const [first, kept] = points as [AnalysisPoint, AnalysisPoint];
    expect(kept.value).toBe(first.value);
    const row = (p: AnalysisPoint, name: string) =>
      p.constraintReport.find((c) => c.name === name)!;
    expect(row(first, "budget").binding).toBe(true);
    expect(row(kept, "budget").binding).toBe(false);
    expect(kept.dual).toBe(0);
    // every other row keeps the earlier plan's price and its cluster LP's dual
    for (const r of first.constraintReport) {
      if (r.name === "budget") continue;
      expect(row(kept, r.name)).toMatchObject({
        binding: r.binding,
        dual: r.dual,
        clusterLpDual: r.clusterLpDual,
      });
    }
    expect(first.constraintReport.some((r) => r.binding && r.dual !== 0)).toBe(true);
    expectZeroDualsOffBinding(points);
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
    expect(minimumBinds(points, p)).toBe(row.binding);
    expect(minimumBinds(points, points[0]!)).toBeNull();
  });

  describe("a minimum the plan clears by more than a contact", () => {
    afterEach(() => jest.restoreAllMocks());

    it.each(["EXACT", "CLUSTER_LP", "GREEDY"] as const)(
      "%s: costs exactly 0, its dual is 0 (none for GREEDY), and it is not re-run",
      async (method) => {
        const free = await optimize(inst, cons, { method, seed: 1, baseline: false });
        // the offer the plan contacts most, given a minimum of a quarter of that
        const [top, n] = Object.entries(free.kpis.contactsByOffer).sort((a, b) => b[1] - a[1])[0]!;
        const o = inst.offerIds.indexOf(top);
        expect(cons.offerMin[o]).toBe(0);
        const offerMin = Float64Array.from(cons.offerMin);
        offerMin[o] = Math.floor(n / 4);
        const runs = jest.spyOn(optimizeModule, "optimize");
        const points = await offerMinimumCosts(inst, { ...cons, offerMin }, { method, seed: 1 });
        const base = points[0]!;
        const row = base.constraintReport.find((c) => c.name === `offer_min:${top}`)!;
        expect(row.binding).toBe(false);
        const p = points.find((q) => q.label === `without offer_min:${top}`)!;
        expect(p.marginalReturn).toBe(0);
        expect(p.dual).toBe(method === "GREEDY" ? null : 0);
        expect(minimumBinds(points, p)).toBe(false);
        // the point is the base plan itself
        expect(p.value).toBe(base.value);
        expect(p.constraintReport).toBe(base.constraintReport);
        // one run for the base plan and one per minimum that binds
        const binding = points.slice(1).filter((q) => minimumBinds(points, q) === true).length;
        expect(runs).toHaveBeenCalledTimes(1 + binding);
        expect(binding).toBe([...offerMin].filter((m) => m > 0).length - 1);
      },
    );
  });
});
