// `offerplan demo`: the newcomer's first command — generate, import and summarise.
import type { Command } from "commander";
import path from "node:path";
import type * as DatasetSummaryService from "../../services/dataset-summary";
import { createOutput } from "../output";
import { withDatabase } from "../with-database";
import { generate, printSummary, runImport } from "./data";
import { intOption } from "./options";
import { printPlan, runPlan } from "./plan";

// Loaded when the demo runs, not at start (src/cli/main.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const summaries = (): typeof DatasetSummaryService => require("../../services/dataset-summary");

export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description("generate a paper-shaped dataset, import it, summarise it and optimize a plan")
    .option("--customers <n>", "number of customers", intOption, 100_000)
    .option("--seed <s>", "random seed", intOption, 1)
    .option("--profile <name>", "default | hard", "default")
    .option("--dir <dir>", "where to write the CSV files", path.join(".offerplan", "demo"))
    .action(
      async (o: { customers: number; seed: number; profile: "default" | "hard"; dir: string }) => {
        const out = createOutput();
        out.info(
          `1. generating ${o.customers.toLocaleString("en-US")} customers (seed ${o.seed}, profile ${o.profile})`,
        );
        await generate(out, o.customers, o.seed, o.profile, o.dir);
        await withDatabase(out, async (db) => {
          out.info(
            `\n2. importing into ${db.embedded ? "the embedded PostgreSQL in ./.offerplan" : "DATABASE_URL"}`,
          );
          await runImport(out, db.pool, o.dir);
          out.info("\n3. the dataset");
          printSummary(out, await summaries().datasetSummary(db.pool));
          out.info(
            "\n4. an optimized plan for constraints.json, against the paper's ad-hoc plan\n",
          );
          const report = await runPlan(out, db, {
            constraints: path.join(o.dir, "constraints.json"),
            method: "cluster-lp",
            disaggregation: "greedy",
            seed: o.seed,
          });
          printPlan(out, report);
          const budget = report.constraintReport.find((c) => c.name === "budget")?.bound ?? 0;
          out.info(
            [
              "\nnext:",
              `  npx offerplan report --plan ${report.id} --format html --out plan-${report.id}.html`,
              `  npx offerplan plan export --plan ${report.id} --out plan.csv`,
              `  npx offerplan analyze frontier --constraints ${path.join(o.dir, "constraints.json")} --points 5 --from ${Math.round(budget / 4)} --to ${Math.round(budget * 2.5)}`,
              "  npx offerplan apikey create --role ADMIN --name me && npx offerplan serve   # GraphQL on :4000",
            ].join("\n"),
          );
        });
      },
    );
}
