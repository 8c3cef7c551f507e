// Data commands: generate, import, summary, migrate.
import type { Command } from "commander";
import path from "node:path";
import type * as Generate from "../../generate";
import type * as DatabaseService from "../../services/database";
import type { Pool } from "../../services/db-handles";
import type * as Imports from "../../services/imports";
import type * as DatasetSummaryService from "../../services/dataset-summary";
import type { DatasetSummary } from "../../services/dataset-summary";
import { CliError } from "../errors";
import { count, createOutput, table, type Output } from "../output";
import { showWithDatabase, withDatabase } from "../with-database";
import { intOption } from "./options";

// Loaded by the command that needs them, not at start (src/cli/main.ts).
/* eslint-disable @typescript-eslint/no-require-imports */
const database = (): typeof DatabaseService => require("../../services/database");
const generator = (): typeof Generate => require("../../generate");
const imports = (): typeof Imports => require("../../services/imports");
const summaries = (): typeof DatasetSummaryService => require("../../services/dataset-summary");
/* eslint-enable @typescript-eslint/no-require-imports */

export function registerDataCommands(program: Command): void {
  program
    .command("generate")
    .description(
      "write a seeded demo dataset shaped like the paper's case (CSV + constraints.json)",
    )
    .requiredOption("--customers <n>", "number of customers", intOption)
    .option("--seed <s>", "random seed", intOption, 1)
    .option("--profile <name>", "default | hard", "default")
    .requiredOption("--out <dir>", "output directory")
    .option("--json", "print a JSON summary")
    .action(
      async (o: {
        customers: number;
        seed: number;
        profile: string;
        out: string;
        json?: boolean;
      }) => {
        const out = createOutput(o);
        if (o.profile !== "default" && o.profile !== "hard")
          throw new CliError(`--profile must be default or hard, not "${o.profile}"`, 2);
        const summary = await generate(out, o.customers, o.seed, o.profile, o.out);
        if (o.json) out.json(summary);
      },
    );

  program
    .command("import")
    .description("import channels.csv, offers.csv, customers.csv and scores.csv from a directory")
    .requiredOption("--dir <dir>", "directory holding the CSV files")
    .option("--json", "print a JSON summary")
    .action(async (o: { dir: string; json?: boolean }) => {
      const out = createOutput(o);
      await withDatabase(out, async (db) => {
        const summary = await runImport(out, db.pool, o.dir);
        if (o.json) out.json(summary);
      });
    });

  program
    .command("summary")
    .description("summarise the loaded dataset: customers, segments, offers, channels, eligibility")
    .option("--json", "print JSON")
    .action((o: { json?: boolean }) =>
      showWithDatabase(
        o,
        (db) => summaries().datasetSummary(db.pool),
        (out, s) => printSummary(out, s),
      ),
    );

  program
    .command("migrate")
    .description("apply pending database migrations")
    .action(async () => {
      const out = createOutput();
      const db = await database().openDatabase({ migrate: false, log: (m) => out.progress(m) });
      try {
        out.done();
        // Lines that stay, on a terminal and in a CI log alike: a first migrate takes ~15 s.
        const applied = await database().migrate(db.url, {
          onProgress: (line) => process.stderr.write(`${line}\n`),
        });
        out.info(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
      } finally {
        await db.close();
      }
    });
}

export async function generate(
  out: Output,
  customers: number,
  seed: number,
  profile: "default" | "hard",
  dir: string,
) {
  const outDir = path.resolve(dir);
  out.progress(`generating ${count(customers)} customers…`);
  const summary = await generator().writeDataset({ customers, seed, profile, outDir });
  out.done();
  out.info(
    `generated ${count(summary.customers)} customers, ${count(summary.scoreRows)} score rows in ${outDir} (${summary.seconds.toFixed(1)} s)`,
  );
  return summary;
}

export async function runImport(out: Output, pool: Pool, dir: string) {
  const started = Date.now();
  try {
    const summary = await imports().importDataset(pool, path.resolve(dir), {
      onProgress: (p) =>
        out.progress(
          `${p.file}: ${count(p.rows)} rows (${count(Math.round(p.rowsPerSecond))} rows/s)`,
        ),
    });
    out.done();
    const rows = summary.files.map((f) => [
      f.file,
      f.rowsRead,
      f.inserted,
      f.updated,
      f.unchanged,
      f.seconds.toFixed(1),
    ]);
    out.info(table(["file", "rows", "inserted", "updated", "unchanged", "seconds"], rows));
    const total = summary.files.reduce((s, f) => s + f.rowsRead, 0);
    const secs = (Date.now() - started) / 1000;
    out.info(
      `imported ${count(total)} rows in ${secs.toFixed(1)} s (${count(Math.round(total / secs))} rows/s)`,
    );
    return summary;
  } catch (e) {
    out.done();
    throw e;
  }
}

export function printSummary(out: Output, s: DatasetSummary): void {
  out.info(
    `${count(s.customers)} customers (${count(s.doNotContact)} do-not-contact), ${count(s.scoreRows)} score rows, ${count(s.eligibleOptions)} eligible customer × offer × channel options\n`,
  );
  out.info(
    table(
      ["segment", "customers", "do-not-contact"],
      s.segments.map((r) => [r.segment || "(none)", r.customers, r.doNotContact]),
    ),
  );
  out.info("");
  out.info(
    table(
      ["channel", "cost/contact", "capacity", "response factor", "eligible options"],
      s.channels.map((c) => [
        c.id,
        money2(c.costPerContact),
        c.capacity === null ? "unlimited" : count(c.capacity),
        c.responseFactor,
        c.eligibleOptions,
      ]),
    ),
  );
  out.info("");
  out.info(
    table(
      ["offer", "category", "min", "max", "channels", "eligible customers", "mean expected return"],
      s.offers.map((o) => [
        o.id,
        o.category ?? "",
        o.minVolume,
        o.maxVolume === null ? "-" : count(o.maxVolume),
        o.channels.join(";"),
        o.eligibleCustomers,
        money2(o.meanExpectedReturn),
      ]),
    ),
  );
}

const money2 = (v: number) => "$" + v.toFixed(2);
