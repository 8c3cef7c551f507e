// End-to-end optimisation benchmark, reading the instance from PostgreSQL:
//   npm run bench:optimize -- --customers 100000 [--profile default|hard] [--methods cluster-lp,exact]
//     [--clusters K] [--keep-db] [--threads N]
// Generates (cached) and imports a dataset into a fresh database (--keep-db: into a database kept
// between runs, imported once), then for each method: create a plan, load the instance, optimise,
// write it in one transaction; then a what-if run with a changed budget that reuses the loaded
// instance and the clusters. Prints, per run, the seconds end to end and by phase (load, optimise,
// write), quality against the certified bound and the baseline, and the peak resident memory.
import { readFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { join } from "node:path";
import { Pool } from "pg";
import { createDb } from "../src/db/handle";
import { createPrisma } from "../src/db/prisma";
import { importDataset } from "../src/ingest";
import type { Method } from "../src/optimize/types";
import { saveConstraintSetByName } from "../src/services/constraint-sets";
import { createPlan, executePlan, type ExecutedPlan } from "../src/services/plans";
import { startRssSampler, type RssSampler } from "./rss";
import { argValue, benchDataset, freshDatabase, importedDatabase } from "./support";

const METHODS: Record<string, Method> = {
  "cluster-lp": "CLUSTER_LP",
  exact: "EXACT",
  greedy: "GREEDY",
};

async function main() {
  const argv = process.argv.slice(2);
  const customers = Number(argValue(argv, "customers", "100000"));
  const profile = argValue(argv, "profile", "default") as "default" | "hard";
  const methods = argValue(argv, "methods", "cluster-lp,exact").split(",");
  const clusters = Number(argValue(argv, "clusters", "0")) || undefined;
  const keep = argv.includes("--keep-db");
  // absent = the services' default, every core
  const threads = Number(argValue(argv, "threads", "0")) || undefined;
  const dir = await benchDataset(customers, 1, profile);
  const url = keep
    ? await importedDatabase(customers, 1, profile)
    : await freshDatabase("offerplan_bench_optimize");
  const pool = new Pool({ connectionString: url, max: 4 });
  const prisma = createPrisma(url);
  const rss = startRssSampler();
  try {
    let t = performance.now();
    if (!keep) {
      await importDataset(pool, dir);
      await pool.query("VACUUM ANALYZE");
      console.log(
        `import ${((performance.now() - t) / 1000).toFixed(1)} s (not part of the optimisation figures)`,
      );
    }
    const def = JSON.parse(await readFile(join(dir, "constraints.json"), "utf8"));
    const rows: string[][] = [];
    for (const m of methods) {
      const method = METHODS[m];
      if (!method) throw new Error(`unknown method ${m}`);
      const v = await saveConstraintSetByName(createDb(pool, prisma), def);
      const plan = await createPlan(createDb(pool, prisma), v.versionId, {
        method,
        clusters,
        seed: 1,
        threads,
      });
      rss.resetPeak();
      t = performance.now();
      const first = await executePlan(pool, prisma, plan.id);
      rows.push(row(`${m}`, first, (performance.now() - t) / 1000, rss, false));

      // what-if: a 10 % larger budget, same data, warm-started from the first plan (the worker
      // keeps the loaded instance)
      const w = await saveConstraintSetByName(createDb(pool, prisma), {
        ...def,
        budget: def.budget * 1.1,
      });
      const whatIf = await createPlan(createDb(pool, prisma), w.versionId, {
        method,
        clusters,
        seed: 1,
        warmStartFrom: plan.id,
        threads,
      });
      rss.resetPeak();
      t = performance.now();
      const second = await executePlan(pool, prisma, whatIf.id, { loaded: first.loaded });
      rows.push(row(`${m} what-if`, second, (performance.now() - t) / 1000, rss, true));
      await saveConstraintSetByName(createDb(pool, prisma), def);
    }
    const header = [
      "run",
      "customers",
      "options",
      "seconds",
      "load",
      "optimise",
      "write",
      "value",
      "bound",
      "of bound",
      "baseline",
      "opt/base",
      "peak RSS GiB",
      "load phases (s)",
      "optimise phases (s)",
    ];
    console.log(
      `${customers} customers, profile ${profile}, machine load ${loadavg()
        .map((x) => x.toFixed(1))
        .join(" ")}`,
    );
    console.log([header, ...rows].map((r) => r.join(" | ")).join("\n"));
  } finally {
    rss.stop();
    await prisma.$disconnect();
    await pool.end();
  }
}

/**
 * Write is what the run took beyond loading and optimising: resolving the constraints, the plan's
 * status updates and the one-transaction write of the plan's rows.
 */
function row(
  name: string,
  e: ExecutedPlan,
  seconds: number,
  rss: RssSampler,
  reused: boolean,
): string[] {
  const r = e.result;
  const base = r.baseline?.expectedReturn;
  const load = reused ? 0 : e.loaded.seconds;
  const optimise = r.timings.total ?? 0;
  const phases = (p: Record<string, number>) =>
    Object.entries(p)
      .filter(([k]) => k !== "total")
      .map(([k, s]) => `${k} ${s.toFixed(2)}`)
      .join(", ");
  return [
    name,
    String(r.effective.threads),
    String(e.loaded.instance.numCustomers),
    String(e.loaded.instance.optOffer.length),
    seconds.toFixed(2),
    reused ? "0 (reused)" : load.toFixed(2),
    optimise.toFixed(2),
    (seconds - load - optimise).toFixed(2),
    r.kpis.expectedReturn.toFixed(0),
    r.upperBound === undefined ? "-" : r.upperBound.toFixed(0),
    r.upperBound ? ((100 * r.kpis.expectedReturn) / r.upperBound).toFixed(2) + "%" : "-",
    base === undefined ? "-" : base.toFixed(0),
    base ? (r.kpis.expectedReturn / base).toFixed(3) : "-",
    (rss.peak() / 2 ** 30).toFixed(2),
    reused ? "-" : phases(e.loaded.phases),
    phases(r.timings),
  ];
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
