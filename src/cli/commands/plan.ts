// `offerplan plan run | show | export | replay` (and list | cancel | approve | delete, plan-admin.ts).
import { InvalidArgumentError, type Command } from "commander";
import { readFile } from "node:fs/promises";
import path from "node:path";

import { ConstraintResolutionError } from "../../domain/resolution-error";
import type { Disaggregation, Method } from "../../optimize/types";
import type * as ConstraintSets from "../../services/constraint-sets";
import type { Database } from "../../services/database";
import { createDb, type Db } from "../../services/db-handles";
import type * as PlanExport from "../../services/plan-export";
import type * as PlanReads from "../../services/plan-reads";
import {
  basePlanLine,
  planReport,
  provenanceParts,
  type PlanReport,
} from "../../services/plan-report";
import type * as Plans from "../../services/plans";
import { checkThreads, MAX_THREADS_ENV } from "../../services/threads";
import type * as PrismaSession from "../../services/prisma-session";
import { CliError } from "../errors";
import { count, createOutput, money, pct, table, type Output } from "../output";
import { showWithDatabase, withDatabase } from "../with-database";
import { registerPlanCommitCommand } from "./history";
import { registerPlanAdminCommands } from "./plan-admin";
import { intOption, RAW_CSV_HELP } from "./options";
import { shareOption } from "./results";

// The optimiser, Prisma and the services load when a plan command runs, not at start: they are
// most of the CLI's load time (src/cli/main.ts).
/* eslint-disable @typescript-eslint/no-require-imports */
const constraintSets = (): typeof ConstraintSets => require("../../services/constraint-sets");
const planExport = (): typeof PlanExport => require("../../services/plan-export");
const plans = (): typeof Plans => require("../../services/plans");
const planReads = (): typeof PlanReads => require("../../services/plan-reads");
const session = (): typeof PrismaSession => require("../../services/prisma-session");
/* eslint-enable @typescript-eslint/no-require-imports */

const METHODS: Record<string, Method> = {
  "cluster-lp": "CLUSTER_LP",
  exact: "EXACT",
  greedy: "GREEDY",
};
const DISAGGREGATIONS: Record<string, Disaggregation> = {
  greedy: "GREEDY",
  random: "RANDOM",
  assignment: "ASSIGNMENT",
};

export interface PlanRunOptions {
  constraints: string;
  method: string;
  clusters?: number;
  disaggregation: string;
  seed: number;
  overrides?: Record<string, unknown>;
  controlShare?: number;
  calibration?: number;
  campaignDate?: string;
  warmStartFrom?: number;
  basePlan?: number;
  threads?: number;
  name?: string;
  notes?: string;
  json?: boolean;
}

export function registerPlanCommands(program: Command): void {
  const plan = program.command("plan").description("run, show and export plans");
  registerPlanRunCommand(plan);
  registerPlanReadCommands(plan);
  registerPlanCommitCommand(plan);
  registerPlanAdminCommands(plan);
}

function registerPlanRunCommand(plan: Command): void {
  plan
    .command("run")
    .description(
      "optimise a plan for a constraint set (a JSON file, or a constraint-set version id)",
    )
    .requiredOption("--constraints <file|versionId>", "constraint-set JSON file, or a version id")
    .option("--method <m>", "cluster-lp | exact | greedy", "cluster-lp")
    .option("--clusters <k>", "number of clusters (cluster-lp)", intOption)
    .option("--disaggregation <d>", "greedy | random | assignment", "greedy")
    .option("--seed <s>", "random seed", intOption, 1)
    .option(
      "--overrides <json>",
      "what-if: constraint-set fields that replace the version's for this run, e.g. '{\"budget\": 500000}'",
      jsonObjectOption,
    )
    .option(
      "--control-share <s>",
      "hold out this share (0 to <1) of each segment × offer's chosen customers as a control group",
      shareOption,
    )
    .option("--calibration <id>", "run with a score calibration (scores recalibrate)", intOption)
    .option(
      "--campaign-date <yyyy-mm-dd>",
      "the day the contacts go out; contact policies count the history before it (default today, UTC)",
    )
    .option(
      "--warm-start-from <planId>",
      "start from this SUCCEEDED plan's clusters and prices (fewer passes; recorded with the plan)",
      intOption,
    )
    .option(
      "--base-plan <planId>",
      "with --overrides: the plan this what-if varies (default: the version's newest SUCCEEDED plain run)",
      intOption,
    )
    .option(
      "--threads <n>",
      `threads for the per-customer work (default: this machine's cores, at most ${MAX_THREADS_ENV}); any number gives the same plan`,
      intOption,
    )
    .option("--name <name>", "what the plan's users will call it")
    .option("--notes <text>", "why it is run")
    .option("--json", "print JSON")
    .action((o: PlanRunOptions) =>
      showWithDatabase(
        o,
        (db, out) => runPlan(out, db, o),
        (out, report) => printPlan(out, report),
      ),
    );
}

/** show, export, replay: a stored plan. */
function registerPlanReadCommands(plan: Command): void {
  plan
    .command("show")
    .description("KPIs, constraint report and contacts of a stored plan")
    .requiredOption("--plan <id>", "plan id", intOption)
    .option("--json", "print JSON")
    .action((o: { plan: number; json?: boolean }) =>
      showWithDatabase(
        o,
        async (db) => {
          const report = await planReport(db.pool, o.plan);
          if (!report) throw new CliError(`plan ${o.plan} does not exist`);
          return report;
        },
        (out, report) => printPlan(out, report),
      ),
    );
  plan
    .command("export")
    .description("write a plan's assignments as the data contract's export CSV")
    .requiredOption("--plan <id>", "plan id", intOption)
    .requiredOption("--out <file>", "CSV file to write")
    .option("--raw-csv", RAW_CSV_HELP)
    .action(async (o: { plan: number; out: string; rawCsv?: boolean }) => {
      const out = createOutput();
      await withDatabase(out, async (db) => {
        const rows = await planExport()
          .exportPlan(db.pool, o.plan, path.resolve(o.out), { rawCsv: o.rawCsv })
          .catch((e: Error) => {
            throw new CliError(e.message);
          });
        out.info(`wrote ${count(rows)} assignments to ${o.out}`);
      });
    });
  plan
    .command("replay")
    .description(
      "re-run a SUCCEEDED plan from its recorded inputs into a new plan and compare fingerprints (exit 1 when they differ)",
    )
    .requiredOption("--plan <id>", "plan id", intOption)
    .option("--json", "print JSON")
    .action(async (o: { plan: number; json?: boolean }) => {
      const out = createOutput(o);
      await withDatabase(out, async (db) => {
        const r = await replay(out, db, o.plan);
        if (o.json) out.json(r);
        else {
          out.info(
            `plan ${r.replay} replays plan ${r.plan}: fingerprint ${r.matches ? "matches" : "DIFFERS"} (${r.fingerprint})`,
          );
        }
        if (!r.matches) process.exitCode = 1;
      });
    });
}

interface ReplayOutcome {
  plan: number;
  replay: number;
  matches: boolean;
  fingerprint: string;
  original: string | null;
}

async function replay(out: Output, db: Database, planId: number): Promise<ReplayOutcome> {
  const { replayPlan, executePlan } = plans();
  return session().withPrisma(db.url, async (prisma) => {
    const created = await replayPlan(createDb(db.pool, prisma), planId, { requestedBy: "cli" });
    out.progress(`plan ${created.id}: replaying plan ${planId}`);
    const done = await executePlan(db.pool, prisma, created.id, {
      onProgress: (phase, f) =>
        out.progress(`plan ${created.id}: ${phase} ${Math.round(f * 100)}%`),
    }).catch((e: unknown) => {
      out.done();
      throw new CliError(
        `plan ${created.id} failed: ${e instanceof Error ? e.message : String(e)}`,
      );
    });
    out.done();
    const original = await planReads().planFingerprint(prisma, planId);
    return {
      plan: planId,
      replay: created.id,
      matches: original === done.fingerprint,
      fingerprint: done.fingerprint,
      original,
    };
  });
}

/** Saves the constraints (file) or finds the version (id), then creates and executes a plan. */
/** --method and --disaggregation as the optimiser names them, or a usage error. */
export function methodOptions(o: { method: string; disaggregation: string }): {
  method: Method;
  disaggregation: Disaggregation;
} {
  const method = METHODS[o.method];
  if (!method) throw new CliError(`--method must be one of ${Object.keys(METHODS).join(", ")}`, 2);
  const disaggregation = DISAGGREGATIONS[o.disaggregation];
  if (!disaggregation)
    throw new CliError(
      `--disaggregation must be one of ${Object.keys(DISAGGREGATIONS).join(", ")}`,
      2,
    );
  return { method, disaggregation };
}

export async function runPlan(out: Output, db: Database, o: PlanRunOptions): Promise<PlanReport> {
  const { method, disaggregation } = methodOptions(o);
  // before the constraints file is saved as a version: a refused run writes nothing
  checkThreads(o.threads);
  const { createPlan, executePlan } = plans();
  return session().withPrisma(db.url, async (prisma) => {
    const versionId = await constraintVersion(createDb(db.pool, prisma), o.constraints);
    const created = await createPlan(
      createDb(db.pool, prisma),
      versionId,
      {
        method,
        clusters: o.clusters,
        disaggregation,
        seed: o.seed,
        overrides: o.overrides,
        controlShare: o.controlShare,
        calibrationId: o.calibration,
        campaignDate: o.campaignDate,
        warmStartFrom: o.warmStartFrom,
        threads: o.threads,
      },
      { requestedBy: "cli", name: o.name, notes: o.notes, basePlanId: o.basePlan },
    );
    out.progress(`plan ${created.id}: loading`);
    try {
      await executePlan(db.pool, prisma, created.id, {
        onProgress: (phase, f) =>
          out.progress(`plan ${created.id}: ${phase} ${Math.round(f * 100)}%`),
      });
    } catch (e) {
      out.done();
      if (e instanceof ConstraintResolutionError)
        throw new CliError(`plan ${created.id} failed: ${e.message}`);
      throw new CliError(
        `plan ${created.id} failed: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    out.done();
    return (await planReport(db.pool, created.id))!;
  });
}

function jsonObjectOption(value: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(value);
  } catch {
    throw new InvalidArgumentError("must be a JSON object");
  }
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new InvalidArgumentError("must be a JSON object");
  return v as Record<string, unknown>;
}

export async function constraintVersion(db: Db, ref: string): Promise<number> {
  const { ConstraintSetInputError, getVersion, saveConstraintSetByName } = constraintSets();
  if (/^\d+$/.test(ref))
    return (
      await getVersion(db.prisma, Number(ref)).catch((e: Error) => {
        throw new CliError(e.message);
      })
    ).versionId;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(ref, "utf8"));
  } catch (e) {
    throw new CliError(
      `cannot read constraint set ${ref}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  try {
    return (await saveConstraintSetByName(db, json)).versionId;
  } catch (e) {
    if (e instanceof ConstraintSetInputError)
      throw new CliError(
        `${ref}: invalid constraint set:\n${e.problems.map((p) => `  ${p.path || "(root)"}: ${p.message}`).join("\n")}`,
      );
    throw e;
  }
}

const num = (v: unknown) => (typeof v === "number" ? v : 0);

function printProvenance(out: Output, r: PlanReport): void {
  const p = r.provenance;
  const parts = provenanceParts(r);
  out.info(`inputs: ${parts.join(", ")}`);
  if (r.parameters.overrides)
    out.info(`what-if overrides: ${JSON.stringify(r.parameters.overrides)}`);
  if (p.fingerprint) out.info(`fingerprint: ${p.fingerprint}`);
  if (p.stale) out.info(`stale: ${p.stale}`);
}

export function printPlan(out: Output, r: PlanReport): void {
  // "version" belongs to constraint sets: a plan is a run of one of a set's versions
  out.info(
    `plan ${r.id}${r.name ? ` "${r.name}"` : ""} (run ${r.versionNumber} of "${r.constraintSetName}" version ${r.constraintSetVersion}): ${r.status}, method ${r.method}`,
  );
  if (r.notes) out.info(`notes: ${r.notes}`);
  const base = basePlanLine(r, money);
  if (base) out.info(`what-if of ${base}`);
  if (r.whatIf) {
    const show = (v: unknown) => (v === null ? "none" : JSON.stringify(v));
    out.info(
      `what-if on that version: ${
        r.whatIf.map((c) => `${c.path} ${show(c.old)} → ${show(c.new)}`).join("; ") || "no change"
      }`,
    );
  }
  if (r.error)
    out.info(
      `error: ${r.error}${r.provenance.failedInPhase ? ` (in phase ${r.provenance.failedInPhase})` : ""}`,
    );
  printProvenance(out, r);
  const k = r.kpis;
  if (!k) return;
  const baseline = (k.baseline ?? null) as Record<string, unknown> | null;
  const rows: (string | number)[][] = [
    [
      "expected return",
      money(num(k.expectedReturn)),
      baseline ? money(num(baseline.expectedReturn)) : "-",
    ],
    ["cost", money(num(k.cost)), baseline ? money(num(baseline.cost)) : "-"],
    ["ROI (return - cost) / cost", pct(num(k.roi)), baseline ? pct(num(baseline.roi)) : "-"],
    ["contacts", count(num(k.contacts)), baseline ? count(num(baseline.contacts)) : "-"],
  ];
  out.info("");
  out.info(table(["", "optimized", "ad-hoc baseline"], rows));
  const control = (k.control ?? null) as Record<string, unknown> | null;
  if (control)
    out.info(
      `\ncontrol group (${pct(num(k.controlShare))} held out, not contacted): ${count(num(control.contacts))} assignments, expected return ${money(num(control.expectedReturn))}; the KPIs above count the treatment only`,
    );
  if (typeof k.upperBound === "number")
    out.info(`\ncertified upper bound ${money(k.upperBound)}; optimality gap ${pct(num(k.gap))}`);
  out.info("\ncontacts by offer and channel");
  out.info(
    table(
      ["offer", "channel", "contacts", "expected return", "cost"],
      r.offerChannel.map((c) => [
        c.offer,
        c.channel,
        c.contacts,
        money(c.expectedReturn),
        money(c.cost),
      ]),
    ),
  );
  out.info(
    "\nconstraint report (dual = the price supporting the plan: value of one more unit of the bound; 0 where it does not bind)",
  );
  out.info(
    table(
      ["constraint", "activity", "bound", "slack", "dual", "binding"],
      r.constraintReport.map((c) => [
        c.name,
        fmt(c.activity),
        fmt(c.bound),
        fmt(c.slack),
        c.dual === null ? "-" : c.dual.toFixed(4),
        c.binding ? "yes" : "",
      ]),
    ),
  );
  if (r.timings)
    out.info(
      `\ntimings: ${Object.entries(r.timings)
        .map(([p, s]) => `${p} ${s.toFixed(2)} s`)
        .join(", ")}`,
    );
}

const fmt = (v: number) =>
  Number.isFinite(v) ? v.toLocaleString("en-US", { maximumFractionDigits: 2 }) : String(v);
