// The one place where errors become GraphQL errors. Domain and service errors carry what went
// wrong; here each class gets its code and, for bad input, the dotted path of the field at fault.
// Anything unknown is an internal error: clients see a request id, the log gets the details, so
// no stack trace or SQL reaches a client.
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import { ConstraintResolutionError } from "../domain/resolve-constraints";
import type { FieldProblem } from "../domain/constraint-set";
import { ImportError } from "../ingest/errors";
import { OptimizeError } from "../optimize/diagnose";
import { ConstraintSetInputError } from "../services/constraint-sets";
import { ConflictError, InputError, NotFoundError } from "../services/errors";
import { ForbiddenError, UnauthenticatedError } from "../server/auth";

export type ErrorCode =
  | "BAD_USER_INPUT"
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "UNAUTHENTICATED"
  | "CONFLICT"
  | "INTERNAL_SERVER_ERROR";

/** Codes Apollo and graphql-js produce themselves, passed through as they are. */
const PASS_THROUGH = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
  "BAD_REQUEST",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
]);

export function userError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

function problemsError(prefix: string, problems: FieldProblem[], message: string): GraphQLError {
  const field = (p: FieldProblem) => (p.path ? `${prefix}.${p.path}` : prefix);
  return userError("BAD_USER_INPUT", message, {
    field: field(problems[0] ?? { path: "", message: "" }),
    problems: problems.map((p) => ({ field: field(p), message: p.message })),
  });
}

/** Known errors → a client error; null for anything that is our fault. */
export function toClientError(e: unknown, inputPrefix = "input"): GraphQLError | null {
  if (e instanceof ConstraintSetInputError || e instanceof ConstraintResolutionError)
    return problemsError(inputPrefix, e.problems, e.message);
  if (e instanceof InputError) return userError("BAD_USER_INPUT", e.message, { field: e.field });
  if (e instanceof ImportError)
    return userError("BAD_USER_INPUT", e.message, {
      field: "dir",
      total: e.total,
      problems: e.problems,
    });
  if (e instanceof NotFoundError) return userError("NOT_FOUND", e.message);
  if (e instanceof ConflictError) return userError("CONFLICT", e.message);
  if (e instanceof ForbiddenError) return userError("FORBIDDEN", e.message);
  if (e instanceof UnauthenticatedError) return userError("UNAUTHENTICATED", e.message);
  if (e instanceof OptimizeError) return userError("BAD_USER_INPUT", e.message);
  return null;
}

// graphql-js ends a validation message with its guesses from the schema ("Did you mean "plan"
// or "plans"?", also for arguments, types, input fields and enum values).
const SUGGESTION = /\s*Did you mean [^]*\?$/;

export interface FormatOptions {
  /** drop graphql-js's "Did you mean …" guesses: they disclose the schema (introspection off) */
  hideSuggestions?: boolean;
}

/** Apollo's formatError: codes for known errors, a bland message for the rest. */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  onInternal: (e: unknown) => string,
  opts: FormatOptions = {},
): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const client = toClientError(original);
  if (client)
    return { message: client.message, path: formatted.path, extensions: client.extensions };
  const code = formatted.extensions?.code;
  if (original instanceof GraphQLError && typeof code === "string" && PASS_THROUGH.has(code))
    return {
      ...formatted,
      message: opts.hideSuggestions ? formatted.message.replace(SUGGESTION, "") : formatted.message,
      extensions: { ...formatted.extensions, stacktrace: undefined },
    };
  const requestId = onInternal(original);
  return {
    message: `internal error (request ${requestId})`,
    path: formatted.path,
    extensions: { code: "INTERNAL_SERVER_ERROR", requestId },
  };
}
