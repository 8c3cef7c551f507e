// `offerplan responses import`, `offerplan results` and `offerplan scores recalibrate`: a
// campaign's responses in, what it measured out, and score calibrations learnt from it.
import { InvalidArgumentError, type Command } from "commander";
import path from "node:path";
import type { ResultRow } from "../../results";
import { ImportError } from "../../services/errors";
import type * as Results from "../../services/results";
import type { PlanResults, Recalibration } from "../../services/results";
import { CliError, importRejected } from "../errors";
import { count, money, table, type Output } from "../output";
import { showWithDatabase } from "../with-database";
import { intOption } from "./options";

// Loaded when a results command runs, not at start (src/cli/main.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const results = (): typeof Results => require("../../services/results");

/** a share in [0, 1) */
export function shareOption(value: string): number {
  const v = Number(value.trim());
  if (value.trim() === "" || !(v >= 0 && v < 1))
    throw new InvalidArgumentError("must be a number from 0 up to (not including) 1");
  return v;
}

function positiveOption(value: string): number {
  const v = Number(value.trim());
  if (value.trim() === "" || !(v > 0 && Number.isFinite(v)))
    throw new InvalidArgumentError("must be a positive number");
  return v;
}

/** results' own wording for a rejected file; the rest is translated in main.ts */
function userFacing(e: unknown): never {
  if (e instanceof ImportError) throw importRejected(e, "response import");
  throw e;
}

export function registerResultsCommands(program: Command): void {
  const responses = program.command("responses").description("a campaign's responses to a plan");
  responses
    .command("import")
    .description(
      "import a response file (customer_id, offer_id, channel_id, responded, revenue) for a plan",
    )
    .requiredOption("--plan <id>", "plan id", intOption)
    .requiredOption("--file <path>", "the CSV file, or a directory holding responses.csv")
    .option("--json", "print a JSON summary")
    .action((o: { plan: number; file: string; json?: boolean }) =>
      showWithDatabase(
        o,
        (db) =>
          results()
            .importPlanResponses(db.pool, o.plan, path.resolve(o.file), {
              importedBy: "cli",
            })
            .catch(userFacing),
        (out, s) =>
          out.info(
            `plan ${s.planId}: ${count(s.rowsRead)} response rows from ${s.file}: ${count(s.inserted)} new, ${count(s.updated)} changed, ${count(s.unchanged)} unchanged (${s.seconds.toFixed(1)} s)`,
          ),
      ),
    );

  program
    .command("results")
    .description(
      "a plan's measured results: response rates in treatment and control, uplift with its 95% interval, predicted vs actual",
    )
    .requiredOption("--plan <id>", "plan id", intOption)
    .option("--cells", "also every segment × offer × channel cell")
    .option("--json", "print JSON")
    .action((o: { plan: number; cells?: boolean; json?: boolean }) =>
      showWithDatabase(
        o,
        async (db) => {
          const r = await results().planResults(db.pool, o.plan).catch(userFacing);
          if (!r)
            throw new CliError(
              `plan ${o.plan} has no responses yet: npx offerplan responses import --plan ${o.plan} --file FILE`,
            );
          return r;
        },
        (out, r) => printResults(out, r, o.cells === true),
      ),
    );

  const scores = program.command("scores").description("score calibrations learnt from results");
  scores
    .command("recalibrate")
    .description(
      "new score calibration (factors per segment × offer × channel) from a plan's measured responses, shrunk toward the factors it ran with",
    )
    .requiredOption("--from-plan <id>", "a plan with responses imported", intOption)
    .option(
      "--prior-strength <a>",
      "how many expected responders the prior counts for (default 20)",
      positiveOption,
    )
    .option("--json", "print JSON")
    .action((o: { fromPlan: number; priorStrength?: number; json?: boolean }) =>
      showWithDatabase(
        o,
        (db) =>
          results()
            .recalibrateFromPlan(db.pool, o.fromPlan, {
              priorStrength: o.priorStrength,
              createdBy: "cli",
            })
            .catch(userFacing),
        (out, r) => printRecalibration(out, r),
      ),
    );
}

const rate = (v: number | null) => (v === null ? "-" : `${(v * 100).toFixed(2)}%`);
const points = (v: number | null) =>
  v === null ? "-" : `${v >= 0 ? "+" : ""}${(v * 100).toFixed(2)}`;
const ratio = (v: number | null) => (v === null ? "-" : v.toFixed(2));
const money2 = (v: number | null) => (v === null ? "-" : "$" + v.toFixed(2));

function rowCells(r: ResultRow): (string | number)[] {
  return [
    r.treatment.customers,
    r.control.customers,
    rate(r.treatment.responseRate),
    rate(r.control.responseRate),
    points(r.uplift),
    r.upliftCiLow === null ? "-" : `[${points(r.upliftCiLow)}, ${points(r.upliftCiHigh)}]`,
    money2(r.treatment.revenuePerCustomer),
    money2(r.control.revenuePerCustomer),
    rate(r.predictedResponseRate),
    ratio(r.actualToPredicted),
  ];
}

const HEADERS = [
  "treatment",
  "control",
  "resp. T",
  "resp. C",
  "uplift pts",
  "95% CI",
  "rev/cust T",
  "rev/cust C",
  "predicted",
  "actual/pred",
];

export function printResults(out: Output, r: PlanResults, cells: boolean): void {
  out.info(
    `plan ${r.planId}: ${count(r.imports)} response import(s), ${count(r.responses)} response rows; assignments without a row did not respond`,
  );
  if (r.calibrationId !== null)
    out.info(`predictions include score calibration ${r.calibrationId}`);
  out.info("uplift = treatment − control response rate, 95% Newcombe (Wilson score) interval\n");
  const section = (title: string, key: (x: ResultRow) => string, rows: ResultRow[]) => {
    out.info(
      table(
        [title, ...HEADERS],
        rows.map((x) => [key(x), ...rowCells(x)]),
      ),
    );
    out.info("");
  };
  section("plan", () => "all", [r.total]);
  section("segment", (x) => x.segment ?? "(none)", r.bySegment);
  section("offer", (x) => x.offer ?? "", r.byOffer);
  section("channel", (x) => x.channel ?? "", r.byChannel);
  if (cells)
    section(
      "segment / offer / channel",
      (x) => `${x.segment ?? "(none)"} / ${x.offer} / ${x.channel}`,
      r.cells,
    );
  out.info(
    `revenue: treatment ${money(r.total.treatment.revenue)}, control ${money(r.total.control.revenue)}`,
  );
}

function printRecalibration(out: Output, r: Recalibration): void {
  out.info(
    `score calibration ${r.calibrationId} from plan ${r.sourcePlanId}${r.baseCalibrationId === null ? "" : `, refining calibration ${r.baseCalibrationId}`} (prior strength ${r.priorStrength} expected responders)`,
  );
  out.info(`use it: npx offerplan plan run --constraints … --calibration ${r.calibrationId}\n`);
  out.info(
    table(
      [
        "segment / offer / channel",
        "customers",
        "responders",
        "predicted",
        "actual",
        "raw factor",
        "factor before",
        "factor now",
        "predicted now",
      ],
      r.cells.map((c) => [
        `${c.segment ?? "(none)"} / ${c.offer} / ${c.channel}`,
        c.customers,
        c.responders,
        rate(c.predictedRate),
        rate(c.actualRate),
        ratio(c.rawFactor),
        ratio(c.previousFactor),
        ratio(c.factor),
        rate(c.recalibratedRate),
      ]),
    ),
  );
  const carried = r.cells.filter((c) => c.customers === 0).length;
  if (carried > 0) out.info(`\n${carried} cell(s) not measured by this plan keep their factor`);
}
