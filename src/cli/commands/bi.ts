// `offerplan bi grant`: the read-only role for BI tools (docs/bi.md).
import type { Command } from "commander";
import type * as Bi from "../../services/bi";
import { ConflictError, InputError } from "../../services/errors";
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
    .requiredOption("--password <password>", "the role's password (8 characters or more)")
    .option("--role <name>", "role name", "offerplan_bi")
    .action(async (o: { password: string; role: string }) => {
      const out = createOutput();
      await withDatabase(out, async (db) => {
        try {
          await biService().grantBiRole(db.pool, o.role, o.password);
        } catch (e) {
          if (e instanceof InputError) throw new CliError(`--${e.message}`, 2);
          if (e instanceof ConflictError) throw new CliError(e.message);
          throw e;
        }
        const { BI_SCHEMA, BI_VIEWS, BI_FUNCTIONS } = biService();
        out.info(
          `role ${o.role} may read schema ${BI_SCHEMA} (its search_path): ` +
            [...BI_VIEWS, ...BI_FUNCTIONS.map((f) => f.replace(/\(.*/, "(…)"))].join(", "),
        );
      });
    });
}
