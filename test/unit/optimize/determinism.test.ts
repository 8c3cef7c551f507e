import { optimize } from "../../../src/optimize/optimize";
import { randomInstance, tightConstraints } from "./helpers";

describe("determinism and reuse", () => {
  const inst = randomInstance(77, { customers: 400, offers: 4, channels: 3, segments: 3 });
  const cons = tightConstraints(inst, 77, {
    M: 2,
    budget: true,
    capacity: true,
    minimums: true,
    hurdle: true,
    segmentRules: true,
  });

  test.each([
    ["CLUSTER_LP", "RANDOM"],
    ["CLUSTER_LP", "ASSIGNMENT"],
    ["EXACT", undefined],
  ] as const)("%s/%s gives the same plan for the same seed", async (method, disaggregation) => {
    const a = await optimize(inst, cons, { method, disaggregation, clusters: 12, seed: 5 });
    const b = await optimize(inst, cons, { method, disaggregation, clusters: 12, seed: 5 });
    expect(Buffer.from(b.selected).equals(Buffer.from(a.selected))).toBe(true);
    expect(b.value).toBe(a.value);
    expect(b.upperBound).toBe(a.upperBound);
    if (a.membership) expect(Array.from(b.membership!)).toEqual(Array.from(a.membership));
  });

  test("a different seed changes the clustering", async () => {
    const a = await optimize(inst, cons, { method: "CLUSTER_LP", clusters: 12, seed: 5 });
    const b = await optimize(inst, cons, { method: "CLUSTER_LP", clusters: 12, seed: 6 });
    expect(Array.from(b.membership!)).not.toEqual(Array.from(a.membership!));
  });

  test("what-if: a second run reuses the clusters and earlier duals", async () => {
    const first = await optimize(inst, cons, { method: "CLUSTER_LP", clusters: 12, seed: 5 });
    const changed = { ...cons, budget: cons.budget * 0.8 };
    const second = await optimize(inst, changed, { method: "CLUSTER_LP", reuse: first, seed: 5 });
    expect(Array.from(second.membership!)).toEqual(Array.from(first.membership!));
    expect(second.clusters!.map((c) => c.centroid)).toEqual(first.clusters!.map((c) => c.centroid));
    expect(second.kpis.cost).toBeLessThanOrEqual(changed.budget + 1e-9);
    expect(second.value).toBeLessThanOrEqual(first.upperBound! + 1e-9);
    const exact = await optimize(inst, changed, { method: "EXACT", reuse: first, seed: 5 });
    expect(exact.kpis.cost).toBeLessThanOrEqual(changed.budget + 1e-9);
  });
});
