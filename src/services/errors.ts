import type { FieldProblem } from "../domain/constraint-set";

// Errors the services raise for their callers to translate: the GraphQL edge maps each class to
// an error code (src/graphql/errors.ts), the CLI to a message and exit status. Services never
// know about either.

/** The thing asked for does not exist. */
export class NotFoundError extends Error {
  override name = "NotFoundError";
}

/** The request clashes with the current state (e.g. cancelling a finished plan). */
export class ConflictError extends Error {
  override name = "ConflictError";
}

/** One input field is wrong; `field` is a dotted path into the operation's arguments. */
export class InputError extends Error {
  override name = "InputError";
  constructor(
    readonly field: string,
    /** what is wrong with it, without the field */
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** A constraint set (or a patch of one) is invalid: every problem, each at its field path. */
export class ConstraintSetInputError extends Error {
  override name = "ConstraintSetInputError";
  constructor(
    readonly problems: FieldProblem[],
    /** the argument the paths are in, when it is not the whole input (a patch) */
    readonly root?: string,
  ) {
    super(problems.map((p) => `${p.path || "(input)"}: ${p.message}`).join("; "));
  }
}

// An import's rejection already carries what every caller shows (the problems, file by file), so
// it reaches them as the importer raised it.
export { ImportError, type ImportProblem } from "../ingest/errors";
