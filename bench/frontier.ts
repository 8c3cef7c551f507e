// Budget-frontier benchmark: `npm run bench -- frontier [--customers 1000000] [--points 10]
// [--method cluster-lp|exact] [--clusters K]`. Uses the kept, imported bench database (imports it
// once), then times one analysis end to end: load the instance, then one warm-started
// optimisation per budget from a quarter to two and a half times the dataset's budget, and the
// write of the points. Target: 10 points at 1M customers in ≤ 60 s.
import { readFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { join } from "node:path";
import { Pool } from "pg";
import { migrate } from "../src/db/migrate";
import { createDb } from "../src/db/handle";
import { createPrisma } from "../src/db/prisma";
import type { Method } from "../src/optimize/types";
import { budgetSeries, createAnalysis, executeAnalysis } from "../src/services/analyses";
import { saveConstraintSetByName } from "../src/services/constraint-sets";
import { argValue, benchDataset, importedDatabase } from "./support";

const METHODS: Record<string, Method> = { "cluster-lp": "CLUSTER_LP", exact: "EXACT" };

async function main() {
  const argv = process.argv.slice(2);
  const customers = Number(argValue(argv, "customers", "1000000"));
  const points = Number(argValue(argv, "points", "10"));
  const method = METHODS[argValue(argv, "method", "cluster-lp")];
  const clustersArg = argValue(argv, "clusters", "");
  if (!method) throw new Error("--method must be cluster-lp or exact");
  const url = await importedDatabase(customers, 1, "default");
  await migrate(url);
  const dir = await benchDataset(customers, 1, "default");
  const def = JSON.parse(await readFile(join(dir, "constraints.json"), "utf8"));
  const pool = new Pool({ connectionString: url, max: 4 });
  const prisma = createPrisma(url);
  try {
    const version = await saveConstraintSetByName(createDb(pool, prisma), {
      ...def,
      name: "bench frontier",
    });
    const budgets = budgetSeries({ from: def.budget * 0.25, to: def.budget * 2.5, points });
    const a = await createAnalysis(createDb(pool, prisma), "BUDGET_FRONTIER", version.versionId, {
      method,
      clusters: clustersArg ? Number(clustersArg) : undefined,
      budgets,
    });
    const t0 = performance.now();
    const { points: result, loaded } = await executeAnalysis(pool, prisma, a.id);
    const total = (performance.now() - t0) / 1000;
    console.log(
      `budget frontier, ${customers} customers, ${points} points, ${method}: ${total.toFixed(1)} s ` +
        `(load ${loaded.seconds.toFixed(1)} s; load average ${loadavg()[0]!.toFixed(2)})`,
    );
    console.table(
      result.map((p) => ({
        budget: Math.round(p.parameter ?? 0),
        expectedReturn: Math.round(p.expectedReturn),
        roi: p.roi.toFixed(3),
        dual: p.dual?.toFixed(3),
        marginal: p.marginalReturn?.toFixed(3),
        gap: p.gap?.toExponential(2),
        belowHurdle: p.belowHurdle,
      })),
    );
  } finally {
    await prisma.$disconnect();
    await pool.end();
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
