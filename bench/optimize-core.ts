// Core optimiser benchmark on the generator's paper-shaped data (no database):
//   npx tsx bench/optimize-core.ts --customers 100000 [--profile hard] [--methods EXACT,CLUSTER_LP,GREEDY]
//     [--clusters 100] [--disaggregation GREEDY] [--seed 1] [--policies [--policy-kinds a,b]]
//     [--max-offers M] [--waves W]
// Prints, per method: value, certified bound, gap, value / bound, baseline, timings per phase.
// --policies adds one contact policy of every kind with synthetic history (policy-types.ts);
// --waves W plans a calendar of W monthly waves (calendar.ts).

import { datasetToInstance } from "../src/generate";
import type { ProfileName } from "../src/generate";
import { expandCalendar } from "../src/optimize/calendar";
import type { Instance, PlanConstraints } from "../src/optimize/instance";
import { optimize } from "../src/optimize/optimize";
import type { Policy } from "../src/optimize/policy-types";
import { Rng } from "../src/optimize/rng";
import type { Disaggregation, Method } from "../src/optimize/types";

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : dflt;
}

async function main() {
  const customers = Number(arg("customers", "100000"));
  const profile = arg("profile", "hard") as ProfileName;
  const methods = arg("methods", "GREEDY,EXACT,CLUSTER_LP").split(",") as Method[];
  const clusters = Number(arg("clusters", "100"));
  const disaggregation = arg("disaggregation", "GREEDY") as Disaggregation;
  const seed = Number(arg("seed", "1"));
  const t0 = performance.now();
  const generated = datasetToInstance({ customers, seed, profile });
  let instance: Instance = generated.instance;
  let constraints: PlanConstraints = generated.constraints;
  const maxOffers = Number(arg("max-offers", String(constraints.maxOffersPerCustomer)));
  constraints = { ...constraints, maxOffersPerCustomer: maxOffers };
  const waves = Number(arg("waves", "1"));
  const withPolicies = process.argv.includes("--policies");
  const policiesFor = (wave: number) =>
    withPolicies ? syntheticPolicies(instance, seed + wave, wave) : [];
  if (waves > 1) {
    const cal = expandCalendar(
      instance,
      constraints,
      Array.from({ length: waves }, (_, w) => ({
        name: `m${w + 1}`,
        offsetDays: 30 * w,
        budget: Number.isFinite(constraints.budget) ? constraints.budget / waves : Infinity,
        channelCapacity: new Float64Array(instance.channelIds.length).fill(Infinity),
        policies: policiesFor(w),
      })),
    );
    instance = cal.inst;
    constraints = { ...cal.cons, budget: Infinity };
  } else if (withPolicies) {
    constraints = { ...constraints, policies: policiesFor(0) };
  }
  const genSeconds = (performance.now() - t0) / 1000;
  const mb = (x: number) => (x / 2 ** 20).toFixed(0);
  console.log(
    `${customers.toLocaleString("en-US")} customers, ${instance.optOffer.length.toLocaleString("en-US")} options ` +
      `(${(instance.optOffer.length / customers).toFixed(1)}/customer), profile ${profile}, generated in ${genSeconds.toFixed(1)} s`,
  );
  for (const method of methods) {
    const t = performance.now();
    const cpu0 = process.cpuUsage();
    const dualPasses = Number(arg("dual-passes", "0")) || undefined;
    const res = await optimize(instance, constraints, {
      method,
      clusters,
      disaggregation,
      seed,
      dualPasses,
    });
    const secs = (performance.now() - t) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSecs = (cpu.user + cpu.system) / 1e6;
    const fmt = (x: number | undefined) =>
      x === undefined ? "-" : x.toLocaleString("en-US", { maximumFractionDigits: 4 });
    const ratio = res.upperBound ? res.value / res.upperBound : undefined;
    console.log(
      `${method.padEnd(10)} value ${fmt(res.value)}  bound ${fmt(res.upperBound)}  value/bound ${fmt(ratio)}  ` +
        `baseline ${fmt(res.baseline?.expectedReturn)}  vs baseline ${res.baseline ? fmt(res.value / res.baseline.expectedReturn) : "-"}  ` +
        `cluster LP ${fmt(res.clusterLpValue)}  cluster plan ${fmt(res.clusterPlanValue)}  ` +
        `${secs.toFixed(2)} s wall, ${cpuSecs.toFixed(2)} s cpu, rss ${mb(process.memoryUsage().rss)} MB`,
    );
    console.log(
      "           " +
        Object.entries(res.timings)
          .map(([k, v]) => `${k} ${v.toFixed(2)}`)
          .join("  "),
    );
  }
}

/** One policy of every kind, with a synthetic history (as of the wave's day). */
function syntheticPolicies(inst: Instance, seed: number, wave: number): Policy[] {
  const rng = new Rng(1000 + seed);
  const n = inst.numCustomers;
  const O = inst.offerIds.length;
  const K = inst.channelIds.length;
  const blockedCustomer: number[] = [];
  const blockedOffer: number[] = [];
  for (let i = 0; i < n; i++) {
    if (rng.float() < 0.2) {
      blockedCustomer.push(i);
      blockedOffer.push(rng.int(O));
    }
  }
  const only = (len: number, pick: (x: number) => boolean) =>
    Uint8Array.from({ length: len }, (_, x) => (pick(x) ? 1 : 0));
  const household = new Int32Array(n);
  for (let i = 0, h = 0; i < n; h++) {
    const size = 1 + rng.int(4);
    for (let t = 0; t < size && i < n; t++) household[i++] = h;
  }
  void wave;
  const kinds = arg("policy-kinds", "");
  const all: Policy[] = [
    {
      kind: "fatigue",
      name: "fatigue:30d",
      reportOnly: false,
      limit: 4,
      windowDays: 30,
      filter: { offers: null, channels: null },
      prior: Uint16Array.from({ length: n }, () => rng.int(6)),
    },
    {
      kind: "fatigue",
      name: "fatigue:7d/channel:last",
      reportOnly: false,
      limit: 1,
      windowDays: 7,
      filter: { offers: null, channels: only(K, (k) => k === K - 1) },
      prior: Uint16Array.from({ length: n }, () => (rng.float() < 0.1 ? 1 : 0)),
    },
    {
      kind: "cool_off",
      name: "cool_off:90d",
      reportOnly: false,
      days: 90,
      blockedCustomer: Int32Array.from(blockedCustomer),
      blockedOffer: Int32Array.from(blockedOffer),
    },
    { kind: "mutual_exclusion", name: "exclusion:0+1", reportOnly: false, offers: [0, 1] },
    {
      kind: "sequencing",
      name: "sequencing:last_after_0",
      reportOnly: false,
      offer: O - 1,
      after: 0,
      minDays: 30,
      qualified: Uint8Array.from({ length: n }, () => (rng.float() < 0.3 ? 1 : 0)),
    },
    {
      kind: "custom_capacity",
      name: "custom:avg_risk",
      reportOnly: false,
      aggregate: "AVERAGE",
      max: 0.3,
      min: null,
      filter: { offers: only(O, (o) => o >= 2 && o <= 4), channels: null },
      customerValue: Float64Array.from({ length: n }, () => rng.float()),
      field: null,
    },
    { kind: "household", name: "household:household_id", reportOnly: false, limit: 2, household },
  ];
  return kinds === "" ? all : all.filter((p) => kinds.split(",").includes(p.kind));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
