// `offerplan report`: the paper's outputs for a stored plan as a table, CSV, JSON or one HTML page.
import type { Command } from "commander";
import { writeFile } from "node:fs/promises";
import { renderCsv, type CsvOptions } from "../../reports/csv";
import { renderHtml } from "../../reports/html";
import { htmlToPdf, PdfUnavailableError } from "../../reports/pdf";
import { baselineOf, resultKey } from "../../reports/shape";
import { planReport, type PlanReport } from "../../services/plan-report";
import { CliError } from "../errors";
import { count, createOutput, money, pct, table, type Output } from "../output";
import { withDatabase } from "../with-database";
import { intOption, RAW_CSV_HELP } from "./options";
import { printPlan } from "./plan";

const FORMATS = ["table", "csv", "json", "html", "pdf"] as const;
type Format = (typeof FORMATS)[number];

export function registerReportCommand(program: Command): void {
  program
    .command("report")
    .description(
      "a plan's report: optimized vs ad-hoc, offer frequencies by channel, profitability by channel, constraint report with marginal values, segments",
    )
    .requiredOption("--plan <id>", "plan id", intOption)
    .option("--format <f>", FORMATS.join(" | "), "table")
    .option("--out <file>", "write to a file instead of stdout")
    .option("--raw-csv", `with --format csv: ${RAW_CSV_HELP}`)
    .option(
      "--allow-no-baseline",
      "report a plan that has no ad-hoc plan to compare with (its constraints rule the ad-hoc rule out)",
    )
    .action(async (o: ReportOptions) => {
      if (!FORMATS.includes(o.format as Format))
        throw new CliError(`--format must be one of ${FORMATS.join(", ")}, got "${o.format}"`, 2);
      if (o.format === "pdf" && !o.out) throw new CliError("--format pdf needs --out FILE", 2);
      const out = createOutput();
      await withDatabase(out, async (db) => {
        const report = await planReport(db.pool, o.plan);
        if (!report) throw new CliError(`plan ${o.plan} does not exist`);
        checkReportable(report, o);
        const body = await render(report, o.format as Format, { rawCsv: o.rawCsv });
        if (o.out) {
          await writeFile(o.out, body);
          out.info(`wrote the ${o.format} report of plan ${o.plan} to ${o.out}`);
        } else process.stdout.write(body);
      });
    });
}

interface ReportOptions {
  plan: number;
  format: string;
  out?: string;
  rawCsv?: boolean;
  allowNoBaseline?: boolean;
}

/** Only a plan that succeeded has a report; one without an ad-hoc plan only when asked for. */
function checkReportable(r: PlanReport, o: ReportOptions): void {
  if (r.status === "FAILED" || r.status === "CANCELLED")
    throw new CliError(
      `plan ${r.id} ${r.status === "FAILED" ? "failed" : "was cancelled"}` +
        `${r.provenance.failedInPhase ? ` in phase ${r.provenance.failedInPhase}` : ""}` +
        `${r.error ? `: ${r.error}` : ""}; it has no report`,
    );
  if (r.status !== "SUCCEEDED")
    throw new CliError(`plan ${r.id} is ${r.status}: its report exists once it has succeeded`);
  if (!baselineOf(r) && !o.allowNoBaseline && o.format !== "json" && o.format !== "csv")
    throw new CliError(
      `plan ${r.id} has no ad-hoc plan to compare with (the ad-hoc rule cannot satisfy its ` +
        "constraints); --allow-no-baseline reports it without the comparison",
      2,
    );
}

async function render(r: PlanReport, format: Format, csv: CsvOptions): Promise<string | Buffer> {
  switch (format) {
    case "pdf":
      try {
        return await htmlToPdf(renderHtml(r));
      } catch (e) {
        if (e instanceof PdfUnavailableError) throw new CliError(e.message, 2);
        throw e;
      }
    case "csv":
      return renderCsv(r, csv);
    case "json":
      return JSON.stringify(r, null, 2) + "\n";
    case "html":
      return renderHtml(r);
    case "table":
      return tableText(r);
  }
}

/** The plan as the terminal shows it, with the report's profitability, segments and results. */
function tableText(r: PlanReport): string {
  const lines: string[] = [];
  const sink: Output = {
    info: (l) => lines.push(l),
    progress: () => undefined,
    step: () => undefined,
    json: () => undefined,
    done: () => undefined,
  };
  printPlan(sink, r);
  if (r.kpis) lines.push(...breakdownTables(r), ...resultLines(r));
  return lines.join("\n") + "\n";
}

function breakdownTables(r: PlanReport): string[] {
  return [
    "\nprofitability by channel",
    table(
      ["channel", "contacts", "expected return", "cost", "profit", "ROI"],
      r.channels.map((c) => [
        c.channel,
        count(c.contacts),
        money(c.expectedReturn),
        money(c.cost),
        money(c.profit),
        c.roi === null ? "-" : pct(c.roi),
      ]),
    ),
    "\nsegments",
    table(
      ["segment", "contacts", "expected return", "cost", "ROI"],
      r.segments.map((s) => [
        s.segment ?? "(none)",
        count(s.contacts),
        money(s.expectedReturn),
        money(s.cost),
        s.roi === null ? "-" : pct(s.roi),
      ]),
    ),
  ];
}

function resultLines(r: PlanReport): string[] {
  if (!r.results.length) return [];
  const rate = (v: number | null) => (v === null ? "-" : pct(v));
  return [
    "\nmeasured results (uplift = treatment − control response rate, 95 % interval)",
    table(
      [
        "level",
        "of",
        "treatment",
        "control",
        "treat. rate",
        "ctrl rate",
        "uplift",
        "interval",
        "predicted",
      ],
      r.results.map((x) => [
        x.level,
        resultKey(x),
        count(x.treatmentCustomers),
        count(x.controlCustomers),
        rate(x.treatmentResponseRate),
        rate(x.controlResponseRate),
        rate(x.uplift),
        x.upliftCiLow === null ? "-" : `${rate(x.upliftCiLow)} .. ${rate(x.upliftCiHigh)}`,
        rate(x.predictedResponseRate),
      ]),
    ),
  ];
}
