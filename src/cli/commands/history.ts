// `offerplan history import` / `history summary`, and `plan commit`'s option parsing and action
// (registered under `plan` by src/cli/commands/plan.ts).
import { InvalidArgumentError, type Command } from "commander";
import path from "node:path";
import { ImportError } from "../../services/errors";
import type * as History from "../../services/history";
import { importRejected } from "../errors";
import { count } from "../output";
import { showWithDatabase } from "../with-database";
import { intOption } from "./options";

// Loaded when a history command runs, not at start (src/cli/main.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const history = (): typeof History => require("../../services/history");

/** history's own wording for a rejected file; the rest is translated in main.ts */
function userFacing(e: unknown): never {
  if (e instanceof ImportError) throw importRejected(e, "contact history import");
  throw e;
}

/** YYYY-MM-DD or YYYY-MM-DDTHH:MM, read as UTC */
export function campaignDateOption(value: string): Date {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}))?$/.exec(value.trim());
  const d = m ? new Date(`${m[1]}T${m[2] ?? "00:00"}:00Z`) : null;
  // Date rolls 2026-02-30 over to March: a real date reads back the same day
  if (!d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== m![1])
    throw new InvalidArgumentError("must be a date YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC)");
  return d;
}

export function registerHistoryCommands(program: Command): void {
  const historyCommand = program.command("history").description("the contact history");
  historyCommand
    .command("import")
    .description(
      "import past contacts (customer_id, offer_id, channel_id, contacted_at); a contact already in the history is skipped",
    )
    .requiredOption("--file <path>", "the CSV file")
    .option("--json", "print a JSON summary")
    .action((o: { file: string; json?: boolean }) =>
      showWithDatabase(
        o,
        (db) =>
          history()
            .importHistory(db.pool, path.resolve(o.file), { importedBy: "cli" })
            .catch(userFacing),
        (out, s) =>
          out.info(
            `${count(s.rowsRead)} contact rows from ${s.file}: ${count(s.inserted)} new, ${count(s.unchanged)} already in the history (${s.seconds.toFixed(1)} s, import ${s.importId})`,
          ),
      ),
    );
  historyCommand
    .command("summary")
    .description("contacts, customers contacted, first and last contact")
    .option("--json", "print JSON")
    .action((o: { json?: boolean }) =>
      showWithDatabase(
        o,
        (db) => history().contactHistorySummary(db.pool),
        (out, s) =>
          out.info(
            `${count(s.contacts)} contacts of ${count(s.customers)} customers, ${s.first?.toISOString() ?? "-"} to ${s.last?.toISOString() ?? "-"}`,
          ),
      ),
    );
}

/** `plan commit` (a subcommand of `plan`). */
export function registerPlanCommitCommand(plan: Command): void {
  plan
    .command("commit")
    .description(
      "record a SUCCEEDED plan's treatment assignments into the contact history on the campaign date (once per plan)",
    )
    .requiredOption("--plan <id>", "plan id", intOption)
    .requiredOption(
      "--campaign-date <date>",
      "YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC)",
      campaignDateOption,
    )
    .option("--json", "print JSON")
    .action((o: { plan: number; campaignDate: Date; json?: boolean }) =>
      showWithDatabase(
        o,
        (db) =>
          history()
            .commitPlan(db.pool, o.plan, o.campaignDate, { committedBy: "cli" })
            .catch(userFacing),
        (out, r) =>
          out.info(
            `plan ${r.planId} committed: ${count(r.contacts)} treatment contacts on ${r.campaignDate.toISOString()} (${count(r.inserted)} new to the history)`,
          ),
      ),
    );
}
