// Decision quality: how close each method's plan comes to the optimum, over a sweep of sizes,
// generator profiles and seeds, plus policy / calendar / multi-offer variants.
//   npm run bench -- quality [--sizes 5000,20000,50000,100000,300000] [--large] (adds 1M)
//     [--profiles default,hard] [--seeds 1-5 | 1,3] [--methods GREEDY,EXACT,CLUSTER_LP]
//     [--variants policies,waves3,m2,m3] [--variant-sizes 20000] (--large adds 300k)
//     [--json out.json]
// The single-wave sweep runs every size; each variant runs at the variant sizes only.
// Per run: value, own bound, own gap, ratio to the best bound (the smallest certified bound any
// method reported for that instance), wall and CPU seconds, peak RSS, violations by evaluate.ts
// (must be 0).
// Certified bounds: EXACT's and CLUSTER_LP's upperBound is the lowest Lagrangian value L(λ)
// evaluated on every customer (weak duality: L(λ) ≥ any feasible plan's return for λ ≥ 0), never
// a sample's estimate; GREEDY reports none.

import { writeFileSync } from "node:fs";
import type { ProfileName } from "../src/generate";
import { violations } from "../src/optimize/evaluate";
import { optimize } from "../src/optimize/optimize";
import type { Method } from "../src/optimize/types";
import { benchInstance, type BenchInstanceSpec } from "./bench-instance";
import { startRssSampler } from "./rss";
import { argValue } from "./support";

interface Variant {
  name: string;
  maxOffers?: number;
  waves: number;
  policies: boolean;
}

const VARIANTS: Record<string, Variant> = {
  single: { name: "single", waves: 1, policies: false },
  policies: { name: "policies", waves: 1, policies: true },
  waves3: { name: "waves3", waves: 3, policies: false },
  m2: { name: "m2", maxOffers: 2, waves: 1, policies: false },
  m3: { name: "m3", maxOffers: 3, waves: 1, policies: false },
  "m3+policies": { name: "m3+policies", maxOffers: 3, waves: 1, policies: true },
};

interface Run {
  profile: string;
  customers: number;
  seed: number;
  variant: string;
  method: Method;
  value: number;
  bound: number | null;
  gap: number | null;
  /** value / the smallest certified bound of the instance */
  ratio: number;
  /** value / the ad-hoc baseline's */
  vsBaseline: number | null;
  seconds: number;
  /** CPU seconds of the process during the run: steadier than wall time on a shared machine */
  cpuSeconds: number;
  peakMb: number;
  violations: number;
}

const argv = process.argv;
const large = argv.includes("--large");
const list = (name: string, dflt: string) => argValue(argv, name, dflt).split(",").filter(Boolean);

function seedList(): number[] {
  const s = argValue(argv, "seeds", "1-5");
  const range = /^(\d+)-(\d+)$/.exec(s);
  if (range) {
    const out: number[] = [];
    for (let x = Number(range[1]); x <= Number(range[2]); x++) out.push(x);
    return out;
  }
  return s.split(",").map(Number);
}

async function runInstance(spec: BenchInstanceSpec, variant: string, methods: Method[]) {
  const { instance, constraints } = benchInstance(spec);
  const rss = startRssSampler();
  const runs: Run[] = [];
  for (const method of methods) {
    rss.resetPeak();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const res = await optimize(instance, constraints, { method, seed: spec.seed });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const bad = violations(instance, constraints, res.selected).length;
    runs.push({
      profile: spec.profile,
      customers: spec.customers,
      seed: spec.seed,
      variant,
      method,
      value: res.value,
      bound: res.upperBound ?? null,
      gap: res.gap ?? null,
      ratio: NaN,
      vsBaseline: res.baseline ? res.value / res.baseline.expectedReturn : null,
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      peakMb: rss.peak() / 2 ** 20,
      violations: bad,
    });
  }
  rss.stop();
  const bounds = runs.map((r) => r.bound).filter((b): b is number => b !== null);
  const best = bounds.length > 0 ? Math.min(...bounds) : NaN;
  for (const r of runs) r.ratio = r.value / best;
  return runs;
}

const pct = (x: number | null, digits = 3) => (x === null ? "-" : `${(100 * x).toFixed(digits)}%`);

function printRun(r: Run): void {
  console.log(
    [
      r.profile.padEnd(7),
      String(r.customers).padStart(8),
      `s${r.seed}`,
      r.variant.padEnd(11),
      r.method.padEnd(10),
      r.value.toFixed(1).padStart(12),
      (r.bound === null ? "-" : r.bound.toFixed(1)).padStart(12),
      pct(r.gap).padStart(8),
      pct(r.ratio).padStart(9),
      (r.vsBaseline === null ? "-" : r.vsBaseline.toFixed(4)).padStart(7),
      `${r.seconds.toFixed(2)}s`.padStart(8),
      `${r.cpuSeconds.toFixed(2)}s`.padStart(8),
      `${r.peakMb.toFixed(0)}MB`.padStart(7),
      String(r.violations).padStart(3),
    ].join(" "),
  );
}

/** Worst and mean ratio and worst own gap per (profile, size, variant, method). */
function summarise(runs: Run[]): void {
  const groups = new Map<string, Run[]>();
  for (const r of runs) {
    const key = `${r.profile}|${r.customers}|${r.variant}|${r.method}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  console.log(
    "\nprofile  customers variant     method      seeds  min ratio mean ratio  max gap  viol",
  );
  for (const [key, rs] of groups) {
    const [profile, customers, variant, method] = key.split("|");
    const ratios = rs.map((r) => r.ratio);
    const gaps = rs.map((r) => r.gap).filter((g): g is number => g !== null);
    console.log(
      [
        profile.padEnd(8),
        customers.padStart(9),
        variant.padEnd(11),
        method.padEnd(11),
        String(rs.length).padStart(5),
        pct(Math.min(...ratios)).padStart(10),
        pct(ratios.reduce((a, b) => a + b, 0) / ratios.length).padStart(10),
        pct(gaps.length > 0 ? Math.max(...gaps) : null).padStart(8),
        String(rs.reduce((a, r) => a + r.violations, 0)).padStart(5),
      ].join(" "),
    );
  }
}

async function main() {
  const sizes = list("sizes", "5000,20000,50000,100000,300000").map(Number);
  if (large && !argv.includes("--sizes")) sizes.push(1000000);
  const variantSizes = list("variant-sizes", large ? "20000,300000" : "20000").map(Number);
  const profiles = list("profiles", "default,hard") as ProfileName[];
  const methods = list("methods", "GREEDY,EXACT,CLUSTER_LP") as Method[];
  const variants = list("variants", "policies,waves3");
  const seeds = seedList();
  const plan: Array<{ spec: BenchInstanceSpec; variant: string }> = [];
  for (const profile of profiles) {
    for (const v of ["single", ...variants]) {
      const variant = VARIANTS[v];
      if (!variant) throw new Error(`unknown variant ${v}: ${Object.keys(VARIANTS).join(", ")}`);
      for (const customers of v === "single" ? sizes : variantSizes) {
        for (const seed of seeds) {
          plan.push({ spec: { customers, profile, seed, ...variant }, variant: v });
        }
      }
    }
  }
  console.log(
    "profile customers seed variant     method            value        bound      gap     ratio  vsBase  seconds      cpu   peak viol",
  );
  const runs: Run[] = [];
  for (const { spec, variant } of plan) {
    for (const r of await runInstance(spec, variant, methods)) {
      printRun(r);
      runs.push(r);
    }
  }
  summarise(runs);
  const bad = runs.filter((r) => r.violations > 0);
  if (bad.length > 0) console.log(`\n${bad.length} runs with violations`);
  const out = argValue(argv, "json", "");
  if (out !== "") writeFileSync(out, JSON.stringify(runs, null, 1));
  if (bad.length > 0) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
