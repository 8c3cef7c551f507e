// `offerplan analyze frontier | capacity | minimums`: strategic analyses, stored like plans and
// printed as the paper's tables.
import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import type * as OptimizeAnalyses from "../../optimize/analyses";
import type { AnalysisPoint } from "../../optimize/analyses";
import type * as Analyses from "../../services/analyses";
import type { AnalysisParameters } from "../../services/analyses";
import type * as PrismaSession from "../../services/prisma-session";
import { createDb } from "../../services/db-handles";
import type { AnalysisKind } from "../../services/records";
import { CliError } from "../errors";
import { count, createOutput, money, pct, table, type Output } from "../output";
import { withDatabase } from "../with-database";
import { intOption } from "./options";
import { constraintVersion, methodOptions } from "./plan";

// Loaded when an analysis runs, not at start (src/cli/main.ts).
/* eslint-disable @typescript-eslint/no-require-imports */
const analyses = (): typeof Analyses => require("../../services/analyses");
const pointsOf = (): typeof OptimizeAnalyses => require("../../optimize/analyses");
const session = (): typeof PrismaSession => require("../../services/prisma-session");
/* eslint-enable @typescript-eslint/no-require-imports */

function numberList(value: string): number[] {
  const parts = value.split(",").map((s) => Number(s.trim()));
  if (parts.some((n) => !Number.isFinite(n) || n < 0))
    throw new InvalidArgumentError("must be comma-separated numbers >= 0");
  return parts;
}

function numberOption(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError("must be a number >= 0");
  return n;
}

interface CommonOptions {
  constraints: string;
  method: string;
  clusters?: number;
  disaggregation: string;
  seed: number;
  json?: boolean;
}

function withCommon(cmd: Command): Command {
  return cmd
    .requiredOption("--constraints <file|versionId>", "constraint-set JSON file, or a version id")
    .option("--method <m>", "cluster-lp | exact | greedy", "cluster-lp")
    .option("--clusters <k>", "number of clusters (cluster-lp)", intOption)
    .option("--disaggregation <d>", "greedy | random | assignment", "greedy")
    .option("--seed <s>", "random seed", intOption, 1)
    .option("--json", "print JSON");
}

export function registerAnalyzeCommands(program: Command): void {
  const analyze = program
    .command("analyze")
    .description("budget frontier, capacity planning and offer minimum costs");
  withCommon(
    analyze
      .command("frontier")
      .description("the plan at each budget: return, ROI, marginal return per dollar")
      .option("--budgets <list>", "comma-separated budgets", numberList)
      .option("--from <b>", "lowest budget", numberOption)
      .option("--to <b>", "highest budget", numberOption)
      .option("--points <n>", "budgets from --from to --to", intOption, 10),
  ).action(
    async (
      o: CommonOptions & { budgets?: number[]; from?: number; to?: number; points: number },
    ) => {
      await run(o, "BUDGET_FRONTIER", () => ({ budgets: analyses().budgetSeries(o) }));
    },
  );
  withCommon(
    analyze
      .command("capacity")
      .description("the plan and the value of one more contact at each capacity of a channel")
      .requiredOption("--channel <id>", "channel to vary")
      .requiredOption("--capacities <list>", "comma-separated capacities", numberList),
  ).action(async (o: CommonOptions & { channel: string; capacities: number[] }) => {
    await run(o, "CAPACITY", () => ({ channelId: o.channel, capacities: o.capacities }));
  });
  withCommon(
    analyze
      .command("minimums")
      .description("what each offer's minimum volume costs: the plan without it, and its dual"),
  ).action(async (o: CommonOptions) => {
    await run(o, "OFFER_MINIMUMS", () => ({}));
  });
}

async function run(
  o: CommonOptions,
  kind: AnalysisKind,
  extra: () => Partial<AnalysisParameters>,
): Promise<void> {
  const { method, disaggregation } = methodOptions(o);
  const out = createOutput(o);
  const { createAnalysis, executeAnalysis } = analyses();
  await withDatabase(out, async (db) => {
    await session().withPrisma(db.url, async (prisma) => {
      const versionId = await constraintVersion(createDb(db.pool, prisma), o.constraints);
      const params = { method, clusters: o.clusters, disaggregation, seed: o.seed, ...extra() };
      const analysisId = (await createAnalysis(createDb(db.pool, prisma), kind, versionId, params))
        .id;
      const started = performance.now();
      out.step(`analysis ${analysisId}: loading`);
      const { points } = await executeAnalysis(db.pool, prisma, analysisId, {
        onProgress: (phase, f) =>
          out.step(`analysis ${analysisId}: ${phase}, ${Math.round(f * 100)}% done`),
      }).catch((e: Error) => {
        out.done();
        throw new CliError(`analysis ${analysisId} failed: ${e.message}`);
      });
      out.done();
      const seconds = (performance.now() - started) / 1000;
      if (o.json) out.json({ id: analysisId, kind, seconds, points });
      else print(out, analysisId, kind, points, seconds);
    });
  });
}

const dual = (v: number | null) => (v === null ? "-" : v.toFixed(4));

function print(
  out: Output,
  id: number,
  kind: AnalysisKind,
  points: AnalysisPoint[],
  seconds: number,
): void {
  out.info(`analysis ${id} (${kind}), ${points.length} points in ${seconds.toFixed(1)} s\n`);
  if (kind === "OFFER_MINIMUMS") {
    const { minimumBinds } = pointsOf();
    out.info(
      table(
        ["plan", "expected return", "cost", "ROI", "minimum's dual", "the minimum costs"],
        points.map((p, i) => [
          p.label,
          money(p.expectedReturn),
          money(p.cost),
          pct(p.roi),
          i === 0 ? "" : dual(p.dual),
          i === 0
            ? ""
            : minimumBinds(points, p) === false
              ? `${money(0)} (does not bind)`
              : money(p.marginalReturn ?? 0),
        ]),
      ),
    );
    return;
  }
  const budget = kind === "BUDGET_FRONTIER";
  out.info(
    table(
      [
        budget ? "budget" : "capacity",
        "expected return",
        "cost",
        "ROI",
        "contacts",
        budget ? "dual (next $)" : "dual (next contact)",
        "marginal return",
        ...(budget ? ["below hurdle"] : []),
      ],
      points.map((p) => [
        budget ? money(p.parameter ?? 0) : count(p.parameter ?? 0),
        money(p.expectedReturn),
        money(p.cost),
        pct(p.roi),
        count(p.contacts),
        dual(p.dual),
        p.marginalReturn === null ? "-" : p.marginalReturn.toFixed(4),
        ...(budget ? [p.belowHurdle ? "yes" : ""] : []),
      ]),
    ),
  );
}
