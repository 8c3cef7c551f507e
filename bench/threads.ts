// Full Lagrangian passes on one thread and on a pool, alternately, on the same instance and
// prices: what the threads buy per pass, measured under the same machine load for both; then
// the ad-hoc plan (baseline.ts, whose option scan the pool runs) the same way.
//   npm run bench -- threads --customers 1000000 [--profile default|hard] [--threads 2] [--passes 10]
//     [--baselines 3]
// Prints the median and fastest pass per thread count, the pool's start, and whether every pass
// gave the one-thread result (it must).

import type { ProfileName } from "../src/generate";
import { baselinePlan } from "../src/optimize/baseline";
import { scanAll, scanOutput } from "../src/optimize/baseline-scan";
import { buildCoupling } from "../src/optimize/coupling";
import { EXPECTED_RETURN, lagrangianPass, PassScratch } from "../src/optimize/lagrangian";
import { PassPool } from "../src/optimize/pass-pool";
import { NEVER } from "../src/optimize/stop";
import { loadavg } from "node:os";
import { benchInstance } from "./bench-instance";

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : dflt;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function main() {
  const customers = Number(arg("customers", "1000000"));
  const profile = arg("profile", "default") as ProfileName;
  const threads = Number(arg("threads", "2"));
  const passes = Number(arg("passes", "10"));
  const baselines = Number(arg("baselines", "3"));
  const { instance, constraints } = benchInstance({
    customers,
    profile,
    seed: 1,
    waves: 1,
    policies: false,
  });
  const cp = buildCoupling(instance, constraints);
  // prices that make a pass choose: a tenth of the mean return per unit of every row
  const lambda = Float64Array.from(cp.unit, (u) => (0.1 * cp.valueScale) / u);
  const load0 = loadavg()[0]!.toFixed(1);
  let t = performance.now();
  const pool = new PassPool(instance, cp, threads);
  const poolMs = performance.now() - t;
  const one = new PassScratch(instance);
  const many = new PassScratch(instance);
  many.runner = pool;
  const times: Record<string, number[]> = {
    ...{ one: [], many: [], baselineOne: [], baselineMany: [] },
    ...{ scanOne: [], scanMany: [] },
  };
  let same = true;
  let sameBaseline = true;
  try {
    for (let k = 0; k < passes; k++) {
      t = performance.now();
      const a = lagrangianPass(instance, cp, lambda, EXPECTED_RETURN, {}, one);
      times.one!.push(performance.now() - t);
      t = performance.now();
      const b = lagrangianPass(instance, cp, lambda, EXPECTED_RETURN, {}, many);
      times.many!.push(performance.now() - t);
      same &&= JSON.stringify(a) === JSON.stringify(b);
    }
    const slotOf = Int32Array.from(constraints.offerMin, (m, o) => (m > 0 ? o : -1));
    const input = { ...instance, slotOf };
    const slots = slotOf.filter((x) => x >= 0).length;
    for (let k = 0; k < baselines; k++) {
      t = performance.now();
      scanAll(input, scanOutput(instance.numCustomers, slots, false), NEVER);
      times.scanOne!.push(performance.now() - t);
      t = performance.now();
      pool.scan(input, scanOutput(instance.numCustomers, slots, true), NEVER);
      times.scanMany!.push(performance.now() - t);
      t = performance.now();
      const a = baselinePlan(instance, cp, constraints.offerMin, NEVER, null);
      times.baselineOne!.push(performance.now() - t);
      t = performance.now();
      const b = baselinePlan(instance, cp, constraints.offerMin, NEVER, pool);
      times.baselineMany!.push(performance.now() - t);
      sameBaseline &&= Buffer.from(a.selected).equals(Buffer.from(b.selected));
    }
  } finally {
    await pool.close();
  }
  const fmt = (xs: number[]) =>
    `median ${median(xs).toFixed(0)} ms, fastest ${Math.min(...xs).toFixed(0)} ms`;
  console.log(
    `${customers.toLocaleString("en-US")} customers, ${instance.optOffer.length.toLocaleString("en-US")} options, ` +
      `profile ${profile}, ${passes} passes each, load average ${load0} → ${loadavg()[0]!.toFixed(1)}`,
  );
  console.log(`1 thread:  ${fmt(times.one!)}`);
  console.log(
    `${threads} threads: ${fmt(times.many!)} (pool start ${poolMs.toFixed(0)} ms, includes a shared copy of the generated instance)`,
  );
  console.log(`same result every pass: ${same}`);
  if (baselines > 0) {
    console.log(`ad-hoc plan, 1 thread:  ${fmt(times.baselineOne!)}`);
    console.log(`ad-hoc plan, ${threads} threads: ${fmt(times.baselineMany!)}`);
    console.log(`same ad-hoc plan every time: ${sameBaseline}`);
    console.log(`its option scan alone, 1 thread: ${fmt(times.scanOne!)}`);
    console.log(`its option scan alone, ${threads} threads: ${fmt(times.scanMany!)}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
