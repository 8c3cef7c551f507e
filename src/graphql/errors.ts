// The one place where errors become GraphQL errors. Domain and service errors carry what went
// wrong; here each class gets its code and, for bad input, the dotted path of the field at fault.
// Anything unknown is an internal error: clients see a request id, the log gets the details, so
// no stack trace or SQL reaches a client.
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { HeaderMap } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import { ConstraintResolutionError } from "../domain/resolution-error";
import type { FieldProblem } from "../domain/constraint-set";
import { OptimizeError } from "../optimize/diagnose";
import { ConstraintSetInputError } from "../services/constraint-sets";
import { ConflictError, ImportError, InputError, NotFoundError } from "../services/errors";
import { ForbiddenError, UnauthenticatedError } from "../auth";
import { CursorError } from "./pagination";
import { LimitExceededError, type LimitCode } from "./request-budget";

export type ErrorCode =
  | "BAD_USER_INPUT"
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "UNAUTHENTICATED"
  | "CONFLICT"
  | "INVALID_CURSOR"
  | LimitCode
  | "INTERNAL_SERVER_ERROR";

/** Refusals for going over a configured limit, and the HTTP status each is answered with. */
const LIMIT_STATUS: Record<LimitCode, number> = {
  // the request itself is too big: the client has to change it
  COST_LIMIT_EXCEEDED: 400,
  ROW_LIMIT_EXCEEDED: 400,
  RATE_LIMITED: 429,
  // the same request may well pass on a less busy server
  REQUEST_TIMEOUT: 503,
};
export const LIMIT_CODES: ReadonlySet<string> = new Set(Object.keys(LIMIT_STATUS));

export function limitHttpStatus(code: string): number {
  return LIMIT_STATUS[code as LimitCode] ?? 400;
}

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
  if (e instanceof ConstraintSetInputError)
    return problemsError(e.root ?? inputPrefix, e.problems, e.message);
  if (e instanceof ConstraintResolutionError)
    return problemsError(inputPrefix, e.problems, e.message);
  if (e instanceof CursorError) return userError("INVALID_CURSOR", e.message, { field: e.field });
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
  if (e instanceof LimitExceededError)
    return userError(e.code, e.message, {
      limit: e.limit,
      ...(e.found !== undefined
        ? { [e.code === "COST_LIMIT_EXCEEDED" ? "cost" : "found"]: e.found }
        : {}),
      ...(e.retryAfterSeconds !== undefined ? { retryAfter: e.retryAfterSeconds } : {}),
    });
  return null;
}

// graphql-js ends a validation message with its guesses from the schema ("Did you mean "plan"
// or "plans"?", also for arguments, types, input fields and enum values).
const SUGGESTION = /\s*Did you mean [^]*\?$/;

export interface FormatOptions {
  /** drop graphql-js's "Did you mean …" guesses: they disclose the schema (introspection off) */
  hideSuggestions?: boolean;
}

/**
 * A refusal thrown where Apollo takes the HTTP status from the error itself (context creation):
 * the status and Retry-After ride along in `extensions.http`, which Apollo strips from the body.
 */
export function limitGraphQLError(e: LimitExceededError): GraphQLError {
  const headers = new HeaderMap();
  if (e.retryAfterSeconds !== undefined) headers.set("retry-after", String(e.retryAfterSeconds));
  return new GraphQLError(e.message, {
    originalError: e,
    extensions: { code: e.code, http: { status: limitHttpStatus(e.code), headers } },
  });
}

/**
 * A refusal answered outside Apollo's pipeline (the request time cut-off, the rate limiter): the
 * status, headers and body a client gets.
 */
export function limitResponse(e: LimitExceededError): {
  status: number;
  headers: Record<string, string>;
  body: { errors: GraphQLFormattedError[] };
} {
  const err = toClientError(e)!;
  return {
    status: limitHttpStatus(e.code),
    headers:
      e.retryAfterSeconds !== undefined ? { "retry-after": String(e.retryAfterSeconds) } : {},
    body: { errors: [{ message: err.message, extensions: err.extensions }] },
  };
}

/** Apollo's formatError: codes for known errors, a bland message for the rest. */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  onInternal: (e: unknown) => string,
  opts: FormatOptions = {},
): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  // Errors thrown by plugins before execution arrive wrapped without a path.
  const client =
    toClientError(original) ??
    (original instanceof GraphQLError && original.originalError
      ? toClientError(original.originalError)
      : null);
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
