// Decision quality against known optima: every method on tiny instances whose optimum the
// brute force finds (without and with contact policies), and the generator's hard shape at 5k
// customers, the CI-sized form of the bench quality sweep's worst cases (docs/performance.md,
// "Decision quality").
import { datasetToInstance } from "../../../src/generate";
import { violations } from "../../../src/optimize/evaluate";
import type { Instance, PlanConstraints } from "../../../src/optimize/instance";
import { optimize, OptimizeError } from "../../../src/optimize/optimize";
import type { Policy } from "../../../src/optimize/policy-types";
import { Rng } from "../../../src/optimize/rng";
import type { Method, PlanResult } from "../../../src/optimize/types";
import { bruteByEvaluate, bruteForce, randomInstance, tightConstraints } from "./helpers";

const METHODS: Method[] = ["GREEDY", "EXACT", "CLUSTER_LP"];
const ALL = {
  budget: true,
  capacity: true,
  minimums: true,
  maximums: true,
  hurdle: true,
  segmentRules: true,
};

interface Tally {
  ratios: number[];
  /** plans below GREEDY's where GREEDY found one */
  belowGreedy: number;
}

async function runOrNull(inst: Instance, cons: PlanConstraints, method: Method, seed: number) {
  try {
    return await optimize(inst, cons, { method, clusters: 3, seed });
  } catch (e) {
    if (e instanceof OptimizeError) return null;
    throw e;
  }
}

/** Checks one instance with a known optimum; returns each method's value / optimum. */
async function checkAgainst(
  inst: Instance,
  cons: PlanConstraints,
  optimum: number,
  seed: number,
  tally: Record<Method, Tally>,
): Promise<void> {
  const results = new Map<Method, PlanResult | null>();
  for (const method of METHODS) {
    const res = await runOrNull(inst, cons, method, seed);
    results.set(method, res);
    // a plan exists, so only the ad-hoc baseline may miss one
    if (res === null) {
      expect(method).toBe("GREEDY");
      continue;
    }
    expect(violations(inst, cons, res.selected)).toEqual([]);
    expect(res.value).toBeLessThanOrEqual(optimum + 1e-6);
    if (method !== "GREEDY") {
      // certified: the bound is above the optimum, so the reported gap covers the true one
      expect(res.upperBound!).toBeGreaterThanOrEqual(optimum - 1e-6);
      const trueGap = res.upperBound! > 0 ? (optimum - res.value) / res.upperBound! : 0;
      expect(res.gap!).toBeGreaterThanOrEqual(trueGap - 1e-9);
    }
    tally[method].ratios.push(optimum > 0 ? res.value / optimum : 1);
  }
  const greedy = results.get("GREEDY");
  for (const method of ["EXACT", "CLUSTER_LP"] as const) {
    const res = results.get(method);
    if (greedy && res && res.value < greedy.value - 1e-6) tally[method].belowGreedy++;
  }
}

const newTally = (): Record<Method, Tally> => ({
  GREEDY: { ratios: [], belowGreedy: 0 },
  EXACT: { ratios: [], belowGreedy: 0 },
  CLUSTER_LP: { ratios: [], belowGreedy: 0 },
});
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("decision quality against brute force", () => {
  test("every constraint kind, one and two offers per customer", async () => {
    const tally = newTally();
    for (let seed = 1; seed <= 24; seed++) {
      const M = 1 + (seed % 2);
      const inst = randomInstance(seed * 13, {
        customers: M === 1 ? 7 : 5,
        offers: 3,
        channels: 2,
      });
      const cons = tightConstraints(inst, seed, { ...ALL, M });
      const brute = bruteForce(inst, cons);
      if (brute.selected === null) continue;
      await checkAgainst(inst, cons, brute.value, seed, tally);
    }
    report("rules", tally);
    expect(mean(tally.EXACT.ratios)).toBeGreaterThan(0.99);
    expect(Math.min(...tally.EXACT.ratios)).toBeGreaterThan(0.9);
    expect(mean(tally.CLUSTER_LP.ratios)).toBeGreaterThan(0.99);
    expect(tally.EXACT.belowGreedy + tally.CLUSTER_LP.belowGreedy).toBe(0);
  });

  test("with every contact policy", async () => {
    const tally = newTally();
    for (let seed = 1; seed <= 12; seed++) {
      const M = 1 + (seed % 2);
      const inst = randomInstance(seed * 17 + 3, {
        customers: 4,
        offers: 3,
        channels: 2,
        density: 0.6,
        dnc: 0,
      });
      const rng = new Rng(seed);
      const cons = tightConstraints(inst, seed, { M, budget: true, minimums: true });
      cons.policies = somePolicies(inst, rng);
      const best = bruteByEvaluate(inst, cons);
      if (best === null) continue;
      await checkAgainst(inst, cons, best, seed, tally);
    }
    report("policies", tally);
    expect(mean(tally.EXACT.ratios)).toBeGreaterThan(0.99);
    expect(mean(tally.CLUSTER_LP.ratios)).toBeGreaterThan(0.99);
    expect(tally.EXACT.belowGreedy + tally.CLUSTER_LP.belowGreedy).toBe(0);
  });
});

function report(what: string, tally: Record<Method, Tally>): void {
  const line = METHODS.map(
    (m) =>
      `${m} n=${tally[m].ratios.length} mean ${mean(tally[m].ratios).toFixed(5)} ` +
      `min ${Math.min(...tally[m].ratios).toFixed(5)} belowGreedy ${tally[m].belowGreedy}`,
  ).join("; ");
  console.log(`${what}: ${line}`);
}

/** One policy of each kind the brute force judges by evaluate.ts. */
function somePolicies(inst: Instance, rng: Rng): Policy[] {
  const n = inst.numCustomers;
  const O = inst.offerIds.length;
  return [
    {
      kind: "fatigue",
      name: "fatigue",
      reportOnly: false,
      limit: 1 + rng.int(2),
      windowDays: 30,
      filter: { offers: null, channels: null },
      prior: Uint16Array.from({ length: n }, () => rng.int(3)),
    },
    {
      kind: "cool_off",
      name: "cool_off",
      reportOnly: false,
      days: 60,
      blockedCustomer: Int32Array.from([0, 2]),
      blockedOffer: Int32Array.from([rng.int(O), rng.int(O)]),
    },
    { kind: "mutual_exclusion", name: "exclusion", reportOnly: false, offers: [0, 1] },
    {
      kind: "household",
      name: "household",
      reportOnly: false,
      limit: 2,
      household: Int32Array.from({ length: n }, (_, i) => (i < 2 ? 0 : 1)),
    },
  ];
}

describe("decision quality on the generator's hard shape (5k customers)", () => {
  // The bench quality sweep's worst cases at 50k, at 5k with the same shape: seed 4 gave EXACT its
  // worst gap (0.154 %), seed 2 CLUSTER_LP its worst ratio (93.4 %), and three offers per customer
  // stopped EXACT's price search early (87 % at 20k). Targets: EXACT's own gap ≤ 0.1 % at 5k,
  // CLUSTER_LP within 0.3 % of the best certified bound.
  test.each([
    [4, 1],
    [2, 1],
    [1, 3],
  ])("seed %d, %d offer(s) per customer", async (seed, maxOffers) => {
    const generated = datasetToInstance({ customers: 5000, seed, profile: "hard" });
    const inst = generated.instance;
    const cons = { ...generated.constraints, maxOffersPerCustomer: maxOffers };
    const exact = await optimize(inst, cons, { method: "EXACT", seed });
    const cluster = await optimize(inst, cons, { method: "CLUSTER_LP", seed });
    for (const res of [exact, cluster]) expect(violations(inst, cons, res.selected)).toEqual([]);
    const best = Math.min(exact.upperBound!, cluster.upperBound!);
    expect(exact.gap!).toBeLessThanOrEqual(0.001);
    expect(exact.value / best).toBeGreaterThanOrEqual(0.999);
    expect(cluster.value / best).toBeGreaterThanOrEqual(0.997);
    expect(cluster.value).toBeGreaterThan(cluster.baseline!.expectedReturn);
  });
});
