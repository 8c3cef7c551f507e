// Calibration of the demo profiles: LP bound (HiGHS, LP relaxation of the full plan) versus ad-hoc
// greedy plans on a generated instance. For tuning src/generate/profiles.ts, not a product feature.
//   npx tsx bench/generate-calibrate.ts [customers=10000] [profile=default] [seed=1]
import loadHighs from "highs";
import { datasetToInstance, getProfile, type Profile, type ProfileName } from "../src/generate";
import type { Instance, PlanConstraints } from "../src/optimize/instance";

interface Plan {
  ret: number;
  cost: number;
  perChannel: number[];
  perOffer: number[];
}

function emptyPlan(inst: Instance): Plan {
  return {
    ret: 0,
    cost: 0,
    perChannel: inst.channelIds.map(() => 0),
    perOffer: inst.offerIds.map(() => 0),
  };
}

/**
 * The ad-hoc plan: customers in order of their best expected return each get their best option
 * (by expected return) whose channel still has room, while the budget lasts. With
 * `minimumsFirst`, each offer's minimum is first filled with the offer's best customers.
 */
function greedy(inst: Instance, con: PlanConstraints, minimumsFirst: boolean): Plan {
  const plan = emptyPlan(inst);
  const used = new Uint8Array(inst.numCustomers);
  const capLeft = Float64Array.from(con.channelCapacity);
  let budget = con.budget;
  const take = (i: number, o: number) => {
    used[i] = 1;
    plan.ret += inst.optReturn[o];
    plan.cost += inst.optCost[o];
    budget -= inst.optCost[o];
    capLeft[inst.optChannel[o]]--;
    plan.perChannel[inst.optChannel[o]]++;
    plan.perOffer[inst.optOffer[o]]++;
  };
  const bestOption = (i: number, offer: number) => {
    let best = -1;
    for (let o = inst.custStart[i]; o < inst.custStart[i + 1]; o++) {
      if (offer >= 0 && inst.optOffer[o] !== offer) continue;
      if (capLeft[inst.optChannel[o]] < 1 || inst.optCost[o] > budget) continue;
      if (best < 0 || inst.optReturn[o] > inst.optReturn[best]) best = o;
    }
    return best;
  };
  if (minimumsFirst) {
    inst.offerIds.forEach((_, j) => {
      const need = con.offerMin[j];
      if (need <= 0) return;
      const cands: { i: number; r: number }[] = [];
      for (let i = 0; i < inst.numCustomers; i++) {
        let r = -1;
        for (let o = inst.custStart[i]; o < inst.custStart[i + 1]; o++)
          if (inst.optOffer[o] === j) r = Math.max(r, inst.optReturn[o]);
        if (r >= 0) cands.push({ i, r });
      }
      cands.sort((a, b) => b.r - a.r);
      let got = 0;
      for (const { i } of cands) {
        if (got >= need) break;
        if (used[i]) continue;
        const o = bestOption(i, j);
        if (o >= 0) {
          take(i, o);
          got++;
        }
      }
    });
  }
  const order: { i: number; r: number }[] = [];
  for (let i = 0; i < inst.numCustomers; i++) {
    let r = -1;
    for (let o = inst.custStart[i]; o < inst.custStart[i + 1]; o++)
      r = Math.max(r, inst.optReturn[o]);
    if (r >= 0) order.push({ i, r });
  }
  order.sort((a, b) => b.r - a.r);
  for (const { i } of order) {
    if (used[i]) continue;
    const o = bestOption(i, -1);
    if (o >= 0) take(i, o);
  }
  return plan;
}

async function lpBound(inst: Instance, con: PlanConstraints) {
  const highs = await loadHighs();
  const n = inst.numCustomers;
  const m = inst.optReturn.length;
  const K = inst.channelIds.length;
  const J = inst.offerIds.length;
  const rowBudget = n;
  const rowChannel = n + 1;
  const rowOffer = rowChannel + K;
  const rowHurdle = rowOffer + J;
  const numRows = rowHurdle + 1;
  const rowLower = new Float64Array(numRows).fill(-Infinity);
  const rowUpper = new Float64Array(numRows).fill(Infinity);
  for (let i = 0; i < n; i++) rowUpper[i] = con.maxOffersPerCustomer;
  rowUpper[rowBudget] = con.budget;
  for (let k = 0; k < K; k++) rowUpper[rowChannel + k] = con.channelCapacity[k];
  for (let j = 0; j < J; j++) {
    rowLower[rowOffer + j] = con.offerMin[j];
    rowUpper[rowOffer + j] = con.offerMax[j];
  }
  rowLower[rowHurdle] = con.hurdleRate === null ? -Infinity : 0;
  const starts = new Int32Array(m + 1);
  const indices = new Int32Array(m * 5);
  const values = new Float64Array(m * 5);
  let nz = 0;
  for (let i = 0; i < n; i++) {
    for (let o = inst.custStart[i]; o < inst.custStart[i + 1]; o++) {
      starts[o] = nz;
      const c = inst.optCost[o];
      const entries: [number, number][] = [
        [i, 1],
        [rowBudget, c],
        [rowChannel + inst.optChannel[o], 1],
        [rowOffer + inst.optOffer[o], 1],
        [rowHurdle, inst.optReturn[o] - (1 + (con.hurdleRate ?? 0)) * c],
      ];
      for (const [r, v] of entries) {
        indices[nz] = r;
        values[nz++] = v;
      }
    }
  }
  starts[m] = nz;
  const inf = (a: Float64Array) =>
    a.map((v) => (v === Infinity ? highs.infinity : v === -Infinity ? -highs.infinity : v));
  const model = highs.createModel({
    numCols: m,
    numRows,
    sense: highs.constants.objectiveSense.maximize,
    colCost: inst.optReturn,
    colLower: new Float64Array(m),
    colUpper: new Float64Array(m).fill(1),
    rowLower: inf(rowLower),
    rowUpper: inf(rowUpper),
    matrix: { format: "csc", numRows, numCols: m, starts, indices, values },
  });
  try {
    model.options.set({ output_flag: false, solver: process.env.LP_SOLVER ?? "ipm" });
    model.run();
    const sol = model.getSolution();
    const x = sol.colValue;
    const plan = emptyPlan(inst);
    for (let o = 0; o < m; o++) {
      plan.ret += x[o] * inst.optReturn[o];
      plan.cost += x[o] * inst.optCost[o];
      plan.perChannel[inst.optChannel[o]] += x[o];
      plan.perOffer[inst.optOffer[o]] += x[o];
    }
    const duals = {
      budget: sol.rowDual[rowBudget],
      channel: inst.channelIds.map((_, k) => sol.rowDual[rowChannel + k]),
      offer: inst.offerIds.map((_, j) => sol.rowDual[rowOffer + j]),
      hurdle: sol.rowDual[rowHurdle],
    };
    return { objective: model.getObjectiveValue(), plan, duals };
  } finally {
    model.dispose();
  }
}

async function main(): Promise<void> {
  const customers = Number(process.argv[2] ?? 10_000);
  const profile = (process.argv[3] ?? "default") as ProfileName;
  const seed = Number(process.argv[4] ?? 1);
  // PROFILE_PATCH='{"propensitySigma":0.3,"minShares":{"dd_online":0.03},"channels":[…]}' tries variants
  const patch = JSON.parse(process.env.PROFILE_PATCH ?? "{}") as Partial<Profile> & {
    minShares?: Record<string, number>;
    valueScale?: number;
  };
  const base = getProfile(profile);
  const { minShares, valueScale, ...rest } = patch;
  const custom: Profile = {
    ...base,
    ...rest,
    offers: base.offers.map((o) => ({
      ...o,
      minShare: minShares?.[o.id] ?? o.minShare,
      meanValue: o.meanValue * (valueScale ?? 1),
    })),
  };
  const { instance: inst, constraints: con } = datasetToInstance({
    customers,
    seed,
    profile: custom,
  });
  const t = Date.now();
  const lp = await lpBound(inst, con);
  const g1 = greedy(inst, con, false);
  const g2 = greedy(inst, con, true);
  const fmt = (v: number) => v.toFixed(0).padStart(8);
  const line = (name: string, p: Plan) =>
    console.log(
      `${name.padEnd(20)} return ${fmt(p.ret)} (${(p.ret / customers).toFixed(3)}/cust, ${((100 * p.ret) / lp.objective).toFixed(1)}% of LP) ` +
        `cost ${fmt(p.cost)} ROI ${(p.ret / p.cost).toFixed(2)} | channels ${p.perChannel.map((v) => v.toFixed(0)).join("/")} | ` +
        `offers ${p.perOffer.map((v) => v.toFixed(0)).join("/")}`,
    );
  console.log(
    `${profile} profile, ${customers} customers, ${inst.optReturn.length} options, LP ${((Date.now() - t) / 1000).toFixed(1)} s`,
  );
  console.log(
    `budget ${con.budget}, capacities ${Array.from(con.channelCapacity).join("/")}, minimums ${Array.from(con.offerMin).join("/")}`,
  );
  line("LP bound", lp.plan);
  line("greedy", g1);
  line("greedy, mins first", g2);
  console.log(
    `LP duals: budget ${lp.duals.budget.toFixed(3)} hurdle ${lp.duals.hurdle.toFixed(3)} channels ${lp.duals.channel.map((d) => d.toFixed(3)).join("/")} offers ${lp.duals.offer.map((d) => d.toFixed(2)).join("/")}`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
