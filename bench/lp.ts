// Times both LP backends on cluster-LP-shaped models (bench/lp-models.ts).
//   npx tsx bench/lp.ts [--sizes 50,200,1000] [--reps 3] [--jslp-max 200]
// HiGHS is timed cold (first solve in the process: WASM load plus V8's tier-up of the WASM code)
// and then warm (median of --reps). jslp runs once per size up to --jslp-max clusters; above
// that it takes many minutes. Each jslp run is also checked against HiGHS: objective, and duals
// of the budget / capacity / offer-minimum rows. Cluster-row duals are reported separately: when a
// whole cluster goes to one option, its row and that column's x <= 1 bound both bind, the split
// of the dual between them is not unique, and the two backends legitimately pick different ones.

import { clusterModel } from "./lp-models";
import { closeJslpWorker, createSolver } from "../src/optimize/lp";
import type { LpSolution } from "../src/optimize/lp";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const sizes = arg("sizes", "50,200,1000").split(",").map(Number);
const reps = Number(arg("reps", "3"));
const jslpMax = Number(arg("jslp-max", "200"));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (s: number) => (Number.isFinite(s) ? s.toFixed(3) : "-");

async function timed(fn: () => Promise<LpSolution>): Promise<[number, LpSolution]> {
  const t = performance.now();
  const sol = await fn();
  return [(performance.now() - t) / 1000, sol];
}

async function main() {
  const highs = createSolver("highs");
  const jslp = createSolver("jslp", { timeLimitSeconds: 1800 });
  const header = [
    "clusters",
    "cols",
    "rows",
    "nnz",
    "highs cold s",
    "highs warm s",
    "jslp s",
    "rel Δobj",
    "max |Δdual| named",
    "max |Δdual| cluster",
  ];
  const lines: string[][] = [];
  let cold = true;
  for (const k of sizes) {
    const model = clusterModel(k, 42);
    const [first, ref] = await timed(() => highs.solve(model));
    if (ref.status !== "optimal") throw new Error(`HiGHS: ${ref.status} at ${k} clusters`);
    const warm: number[] = [];
    for (let r = 0; r < reps; r++) warm.push((await timed(() => highs.solve(model)))[0]);
    let jslpSeconds = NaN;
    let relObj = NaN;
    const dualDiff = [NaN, NaN]; // named rows, cluster rows
    if (k <= jslpMax) {
      const [s, sol] = await timed(() => jslp.solve(model));
      jslpSeconds = s;
      relObj = Math.abs(sol.objective - ref.objective) / Math.max(1, Math.abs(ref.objective));
      dualDiff.fill(0);
      sol.rowDual.forEach((y, i) => {
        const which = model.rows[i].name.startsWith("cluster:") ? 1 : 0;
        dualDiff[which] = Math.max(dualDiff[which], Math.abs(y - ref.rowDual[i]));
      });
    }
    lines.push([
      String(k),
      String(model.numCols),
      String(model.rows.length),
      String(model.colStart[model.numCols]),
      cold ? fmt(first) : "",
      fmt(median(warm)),
      fmt(jslpSeconds),
      Number.isNaN(relObj) ? "-" : relObj.toExponential(1),
      ...dualDiff.map((d) => (Number.isNaN(d) ? "-" : d.toExponential(1))),
    ]);
    cold = false;
  }
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c].length)));
  const row = (cells: string[]) => cells.map((x, c) => x.padStart(widths[c])).join("  ");
  console.log(row(header));
  for (const l of lines) console.log(row(l));
  await closeJslpWorker();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
