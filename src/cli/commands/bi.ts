// `offerplan bi grant`: the read-only role for BI tools (docs/bi.md).
import type { Command } from "commander";
import type * as Bi from "../../services/bi";
import { CliError } from "../errors";
import { createOutput } from "../output";
import { withDatabase } from "../with-database";

// Loaded when the command runs, not at start (src/cli/main.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const biService = (): typeof Bi => require("../../services/bi");

export function registerBiCommands(program: Command): void {
  const bi = program.command("bi").description("access for BI tools");
  bi.command("grant")
    .description(
      "create a login role that can read the bi schema and nothing else, or set the password of one it created",
    )
    .option(
      "--password <password>",
      "the role's password (8 characters or more); a command line is visible to other users of the machine, so prefer --password-stdin or OFFERPLAN_BI_PASSWORD",
    )
    .option("--password-stdin", "read the password from standard input (its first line)")
    .option("--role <name>", "role name", "offerplan_bi")
    .action(async (o: { password?: string; passwordStdin?: boolean; role: string }) => {
      const password = await passwordOf(o);
      const out = createOutput();
      await withDatabase(out, async (db) => {
        await biService().grantBiRole(db.pool, o.role, password);
        const { BI_SCHEMA, BI_VIEWS, BI_FUNCTIONS } = biService();
        out.info(
          `role ${o.role} may read schema ${BI_SCHEMA} (its search_path): ` +
            [...BI_VIEWS, ...BI_FUNCTIONS.map((f) => f.replace(/\(.*/, "(…)"))].join(", "),
        );
      });
    });
}

/** The password from exactly one of --password, --password-stdin and OFFERPLAN_BI_PASSWORD. */
async function passwordOf(o: { password?: string; passwordStdin?: boolean }): Promise<string> {
  const env = process.env.OFFERPLAN_BI_PASSWORD;
  const given = [o.password !== undefined, o.passwordStdin === true, env !== undefined];
  if (given.filter(Boolean).length !== 1)
    throw new CliError(
      "give the password one way: --password, --password-stdin or OFFERPLAN_BI_PASSWORD",
      2,
    );
  if (o.password !== undefined) return o.password;
  if (env !== undefined) return env;
  let text = "";
  for await (const chunk of process.stdin) text += String(chunk);
  return text.split(/\r?\n/)[0] ?? "";
}
