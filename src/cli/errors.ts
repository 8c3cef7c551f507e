// The command line's one translation point for failures: a service's refusal becomes a message
// and an exit status here (main.ts prints it), as src/graphql/errors.ts makes it an error code.
// Commands throw what the services threw; they catch only to add what they alone know.
import { count } from "./output";
import {
  ConflictError,
  ConstraintSetInputError,
  ImportError,
  InputError,
  NotFoundError,
} from "../services/errors";

/** A failure the user can act on: printed as its message, no stack trace, exit code 1 or 2. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Exit status of a refusal of the command's own input (a flag, a file's content). */
const BAD_INPUT = 2;

// Input fields whose flag is not the field's name in kebab case.
const FLAG_OF: Record<string, string> = {
  calibrationId: "--calibration",
  basePlanId: "--base-plan",
};

/**
 * The flag a service's input field came from: `input.warmStartFrom` → `--warm-start-from`. A
 * path into a JSON argument (`patch.channelCapacities[0]`) stays as it is: it names the place.
 */
export function flagOf(field: string): string {
  const name = field.replace(/^input\./, "");
  if (!/^[a-zA-Z]+$/.test(name)) return name;
  return FLAG_OF[name] ?? `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** A service error as the user sees it, or null for a failure that is a bug (stack printed). */
export function toCliError(e: unknown): CliError | null {
  if (e instanceof CliError) return e;
  if (e instanceof ConstraintSetInputError) {
    const root = e.root ?? "input";
    const lines = e.problems.map((p) => `${p.path ? `${root}.${p.path}` : root}: ${p.message}`);
    return new CliError(lines.join("\n"), BAD_INPUT);
  }
  if (e instanceof InputError) return new CliError(`${flagOf(e.field)}: ${e.reason}`, BAD_INPUT);
  if (e instanceof ConflictError || e instanceof NotFoundError) return new CliError(e.message);
  if (e instanceof ImportError) return importRejected(e, "import");
  return null;
}

/** An import's problems, file by file: `what` says which import ("contact history import"). */
export function importRejected(e: ImportError, what: string): CliError {
  const lines = e.problems.map(
    (p) => `  ${p.file}:${p.line}${p.column ? ` [${p.column}]` : ""}: ${p.message}`,
  );
  const more =
    e.total > e.problems.length ? `\n  … and ${count(e.total - e.problems.length)} more` : "";
  return new CliError(
    `${what} rejected, nothing was written (${count(e.total)} problem(s)):\n${lines.join("\n")}${more}`,
  );
}
