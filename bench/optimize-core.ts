// Core optimiser benchmark on the generator's paper-shaped data (no database):
//   npx tsx bench/optimize-core.ts --customers 100000 [--profile hard] [--methods EXACT,CLUSTER_LP,GREEDY]
//     [--clusters 100] [--disaggregation GREEDY] [--seed 1] [--policies [--policy-kinds a,b]]
//     [--max-offers M] [--waves W] [--threads N]
// Prints, per method: value, certified bound, gap, value / bound, baseline, timings per phase.
// --policies adds one contact policy of every kind with synthetic history (policy-types.ts);
// --waves W plans a calendar of W monthly waves (calendar.ts).

import type { ProfileName } from "../src/generate";
import { optimize } from "../src/optimize/optimize";
import type { Disaggregation, Method } from "../src/optimize/types";
import { benchInstance } from "./bench-instance";

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
  const maxOffersArg = arg("max-offers", "");
  const kinds = arg("policy-kinds", "");
  const { instance, constraints } = benchInstance({
    customers,
    profile,
    seed,
    maxOffers: maxOffersArg === "" ? undefined : Number(maxOffersArg),
    waves: Number(arg("waves", "1")),
    policies: process.argv.includes("--policies"),
    policyKinds: kinds === "" ? [] : kinds.split(","),
  });
  // the option arrays in shared memory, as the database loader allocates them: otherwise a
  // threaded run would time a copy the CLI never makes
  for (const key of ["custStart", "optOffer", "optChannel", "optReturn", "optCost"] as const) {
    const a = instance[key];
    const copy = new (a.constructor as Float64ArrayConstructor)(
      new SharedArrayBuffer(a.byteLength),
    );
    copy.set(a);
    (instance as Record<typeof key, typeof a>)[key] = copy;
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
      threads: Number(arg("threads", "1")),
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
        `${secs.toFixed(2)} s wall, ${cpuSecs.toFixed(2)} s cpu (all threads), ${res.effective.threads} thread(s), rss ${mb(process.memoryUsage().rss)} MB`,
    );
    console.log(
      "           " +
        Object.entries(res.timings)
          .map(([k, v]) => `${k} ${v.toFixed(2)}`)
          .join("  "),
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
