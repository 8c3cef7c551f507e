import { aggregate, buildClusterLp, solveClusterLp } from "../../../src/optimize/cluster-lp";
import { clusterCustomers } from "../../../src/optimize/cluster";
import { buildCoupling } from "../../../src/optimize/coupling";
import { roundTargets, disaggregate } from "../../../src/optimize/disaggregate";
import { priceTable, EXPECTED_RETURN } from "../../../src/optimize/lagrangian";
import { createSolver } from "../../../src/optimize/lp/index";
import { objectiveValue, rowActivity } from "../../../src/optimize/lp/model";
import { kmeans } from "../../../src/optimize/kmeans";
import { randomInstance, tightConstraints, unconstrained } from "./helpers";

const solver = createSolver("highs");

describe("clustering", () => {
  test("k-means separates well-separated blobs and is seeded", () => {
    const n = 300;
    const data = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      const blob = i % 3;
      data[2 * i] = blob * 10 + Math.sin(i) * 0.5;
      data[2 * i + 1] = blob * -7 + Math.cos(i * 1.7) * 0.5;
    }
    const a = kmeans(data, n, 2, 3, 9);
    for (let i = 3; i < n; i++) expect(a.assignment[i]).toBe(a.assignment[i % 3]);
    expect(new Set([a.assignment[0], a.assignment[1], a.assignment[2]]).size).toBe(3);
    expect(Array.from(kmeans(data, n, 2, 3, 9).assignment)).toEqual(Array.from(a.assignment));
  });

  test("every customer with options gets its segment's nearest centroid", () => {
    const inst = randomInstance(3, { customers: 500, offers: 4, channels: 2, segments: 3 });
    const cl = clusterCustomers(inst, { k: 9, seed: 1, withinSegments: true, sampleSize: 200 });
    expect(cl.k).toBeGreaterThanOrEqual(9);
    for (let i = 0; i < inst.numCustomers; i++) {
      const has = inst.custStart[i + 1] > inst.custStart[i];
      expect(cl.membership[i] >= 0).toBe(has);
      if (has && inst.customerSegment[i] >= 0) {
        expect(cl.segmentOfCluster[cl.membership[i]]).toBe(inst.customerSegment[i]);
      }
    }
  });
});

describe("cluster LP", () => {
  const inst = randomInstance(11, { customers: 300, offers: 3, channels: 2, segments: 2 });
  const cons = tightConstraints(inst, 11, { M: 1, maximums: true, hurdle: true });
  // a budget at a fifth of what contacting everyone would cost, and a scarce second channel
  cons.budget = inst.optCost.reduce((a, b) => a + b, 0) / (5 * 3 * 2);
  cons.channelCapacity[1] = 40;
  cons.offerMin[2] = 30;
  const cp = buildCoupling(inst, cons);
  const cl = clusterCustomers(inst, { k: 8, seed: 2, withinSegments: true });
  const agg = aggregate(inst, cp, cl.membership, cl.k);

  test("solution respects cluster sizes and eligibility; targets round to the LP totals", async () => {
    const res = await solveClusterLp(agg, cp, "EXPECTED_RETURN", solver);
    expect(res.status).toBe("optimal");
    const perCluster = new Float64Array(cl.k);
    for (let c = 0; c < res.y.length; c++) perCluster[res.lp.colCluster[c]] += res.y[c];
    for (let g = 0; g < cl.k; g++) expect(perCluster[g]).toBeLessThanOrEqual(agg.size[g] + 1e-7);
    const t = roundTargets(res, cl.k, 3, 2);
    for (let g = 0; g < cl.k; g++) {
      let sum = 0;
      for (let x = 0; x < 6; x++) sum += t[g * 6 + x];
      expect(sum).toBe(Math.round(perCluster[g] - 1e-7) + 0);
    }
  });

  test("budget dual matches finite differences of the LP optimum", async () => {
    const base = await solveClusterLp(agg, cp, "EXPECTED_RETURN", solver);
    const j = cp.rows.findIndex((r) => r.kind === "budget");
    const step = 0.01 * cp.rhs[j];
    const bumped = { ...cp, rhs: Float64Array.from(cp.rhs, (b, t) => (t === j ? b + step : b)) };
    const up = await solveClusterLp(agg, bumped, "EXPECTED_RETURN", solver);
    const bumpedDown = {
      ...cp,
      rhs: Float64Array.from(cp.rhs, (b, t) => (t === j ? b - step : b)),
    };
    const down = await solveClusterLp(agg, bumpedDown, "EXPECTED_RETURN", solver);
    const right = (up.value - base.value) / step;
    const left = (base.value - down.value) / step;
    // a dual is a subgradient: between the one-sided slopes (equal where the LP is smooth)
    expect(base.dual[j]).toBeGreaterThan(0);
    expect(base.dual[j]).toBeLessThanOrEqual(left + 1e-6);
    expect(base.dual[j]).toBeGreaterThanOrEqual(right - 1e-6);
    expect(left - right).toBeLessThan(0.5 * base.dual[j]);
  });

  test("every coupling row's dual matches finite differences where the LP is smooth", async () => {
    const base = await solveClusterLp(agg, cp, "EXPECTED_RETURN", solver);
    let compared = 0;
    for (let j = 0; j < cp.m; j++) {
      const step = Math.max(1e-3, 1e-4 * Math.abs(cp.rhs[j]));
      const plus = { ...cp, rhs: Float64Array.from(cp.rhs, (b, t) => (t === j ? b + step : b)) };
      const minus = { ...cp, rhs: Float64Array.from(cp.rhs, (b, t) => (t === j ? b - step : b)) };
      const up = await solveClusterLp(agg, plus, "EXPECTED_RETURN", solver);
      const down = await solveClusterLp(agg, minus, "EXPECTED_RETURN", solver);
      if (up.status !== "optimal" || down.status !== "optimal") continue;
      const right = (up.value - base.value) / step;
      const left = (base.value - down.value) / step;
      if (Math.abs(left - right) > 1e-6 * (1 + Math.abs(left))) continue; // a kink: skip
      expect(base.dual[j]).toBeCloseTo(right, 5);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(2);
  });

  test("model rows evaluate to the LP's activities", async () => {
    const res = await solveClusterLp(agg, cp, "EXPECTED_RETURN", solver);
    const model = buildClusterLp(agg, cp, EXPECTED_RETURN).model;
    expect(objectiveValue(model, res.y)).toBeCloseTo(res.value, 6);
    const act = rowActivity(model, res.y);
    model.rows.forEach((row, i) => {
      if (row.sense === "LE")
        expect(act[i]).toBeLessThanOrEqual(row.rhs + 1e-6 * Math.max(1, row.rhs));
      if (row.sense === "GE")
        expect(act[i]).toBeGreaterThanOrEqual(row.rhs - 1e-6 * Math.max(1, row.rhs));
    });
  });
});

describe("disaggregation", () => {
  const inst = randomInstance(21, { customers: 400, offers: 3, channels: 3, segments: 1 });
  const cons = unconstrained(inst, 2);
  cons.budget = 300;
  const cp = buildCoupling(inst, cons);
  const cl = clusterCustomers(inst, { k: 5, seed: 4, withinSegments: false });
  const agg = aggregate(inst, cp, cl.membership, cl.k);

  test("targets are met exactly where members allow; ASSIGNMENT ≥ GREEDY ≥ RANDOM in own value", async () => {
    const lp = await solveClusterLp(agg, cp, "EXPECTED_RETURN", solver);
    const prices = priceTable(cp, lp.lambda, EXPECTED_RETURN);
    const targets = roundTargets(lp, cl.k, 3, 3);
    const value = (sel: Uint8Array) => {
      let v = 0;
      for (let p = 0; p < sel.length; p++) {
        if (sel[p])
          v +=
            prices.alpha * inst.optReturn[p] +
            prices.beta * inst.optCost[p] -
            prices.phi[cp.optGroup[p]];
      }
      return v;
    };
    const got: Record<string, number> = {};
    for (const method of ["GREEDY", "RANDOM", "ASSIGNMENT"] as const) {
      const sel = disaggregate({
        inst,
        cp,
        membership: cl.membership,
        k: cl.k,
        lp,
        prices,
        method,
        seed: 1,
      });
      const count = new Int32Array(targets.length);
      for (let i = 0; i < inst.numCustomers; i++) {
        const offers = new Set<number>();
        let n = 0;
        for (let p = inst.custStart[i]; p < inst.custStart[i + 1]; p++) {
          if (!sel[p]) continue;
          n++;
          expect(offers.has(inst.optOffer[p])).toBe(false);
          offers.add(inst.optOffer[p]);
          count[(cl.membership[i] * 3 + inst.optOffer[p]) * 3 + inst.optChannel[p]]++;
        }
        expect(n).toBeLessThanOrEqual(2);
      }
      for (let t = 0; t < targets.length; t++) expect(count[t]).toBeLessThanOrEqual(targets[t]);
      const filled = count.reduce((a, b) => a + b, 0);
      expect(filled).toBeGreaterThanOrEqual(0.95 * targets.reduce((a, b) => a + b, 0));
      got[method] = value(sel);
    }
    expect(got.ASSIGNMENT).toBeGreaterThanOrEqual(got.GREEDY - 1e-9);
    expect(got.GREEDY).toBeGreaterThan(got.RANDOM);
  });
});
