// `npx offerplan <command>`: one CLI over the same services the GraphQL API uses.
//
// Only commander and the command definitions load at start. Each command module requires its
// services, the database code, the optimiser and the API when its action runs: loading all of them
// took about a second, which every command, `--help` and `--version` paid (docs/performance.md).
import { Command, CommanderError } from "commander";
import { readFileSync } from "node:fs";
import path from "node:path";
import { registerDataCommands } from "./commands/data";
import { registerDemoCommand } from "./commands/demo";
import { registerHistoryCommands } from "./commands/history";
import { registerAnalyzeCommands } from "./commands/analyze";
import { registerApiKeyCommands } from "./commands/apikey";
import { registerBiCommands } from "./commands/bi";
import { registerConstraintsCommands } from "./commands/constraints";
import { registerAuditCommands } from "./commands/plan-admin";
import { registerPlanCommands } from "./commands/plan";
import { registerReportCommand } from "./commands/report";
import { registerResultsCommands } from "./commands/results";
import { registerServerCommands } from "./commands/server";
import { toCliError } from "./errors";

// The same path from src/cli and from the compiled dist/cli.
const PACKAGE_JSON = path.join(__dirname, "..", "..", "package.json");

export function version(): string {
  return (JSON.parse(readFileSync(PACKAGE_JSON, "utf8")) as { version: string }).version;
}

export function buildProgram(): Command {
  const program = new Command("offerplan")
    .description("offerplan: which customer gets which offer through which channel")
    .version(version(), "-V, --version", "print the version")
    .exitOverride()
    .showHelpAfterError();
  registerDemoCommand(program);
  registerDataCommands(program);
  registerPlanCommands(program);
  registerConstraintsCommands(program);
  registerReportCommand(program);
  registerAnalyzeCommands(program);
  registerServerCommands(program);
  registerApiKeyCommands(program);
  registerBiCommands(program);
  registerResultsCommands(program);
  registerHistoryCommands(program);
  registerAuditCommands(program);
  return program;
}

/**
 * A reader that stops early (`offerplan summary | head -1`) closes the pipe, and the next write to
 * stdout fails with EPIPE, which Node raises as an unhandled 'error' event: a stack trace and exit
 * code 1. The rest of the output has nowhere to go, which is no failure of the command, so it is
 * dropped. The command still runs to its end, so what it does (an import, a stored plan) and the
 * clean close of the database never depend on how much output the reader took.
 */
function dropOutputOnClosedPipe(): void {
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
  });
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  dropOutputOnClosedPipe();
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    const user = toCliError(e);
    if (user) {
      process.stderr.write(`offerplan: ${user.message}\n`);
      return user.exitCode;
    }
    process.stderr.write(`offerplan: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}
