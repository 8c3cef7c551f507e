// Relay connections over keyset pages: a cursor is the sort key of the last row (opaque to
// clients), so page N costs the same as page 1 however large the plan.
import { InputError } from "../services/errors";
import type { RequestBudget } from "./request-budget";

export const MAX_PAGE_SIZE = 1000;

/**
 * The checked page size, booked against the request's row budget before the page is read (`at`
 * names the field in the refusal).
 */
export function pageSize(
  first: number | null | undefined,
  fallback: number,
  budget: RequestBudget,
  at: string,
) {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 0 || n > MAX_PAGE_SIZE)
    throw new InputError("first", `must be a whole number from 0 to ${MAX_PAGE_SIZE}`);
  budget.reserveRows(n, at);
  return n;
}

export type CursorKey = (number | string)[];

/** What a key part holds: an integer column (ids, indexes) or a text one. */
export type CursorPart = "int" | "string";

// Keys are int4 columns and short external ids; anything else was not handed out by a list, and
// would otherwise reach SQL as a number the database cannot take (an internal error).
const INT4_MIN = -2147483648;
const INT4_MAX = 2147483647;
const MAX_KEY_TEXT = 1000;

function fits(v: unknown, part: CursorPart): boolean {
  if (part === "int")
    return typeof v === "number" && Number.isInteger(v) && v >= INT4_MIN && v <= INT4_MAX;
  return typeof v === "string" && v.length <= MAX_KEY_TEXT;
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/** The key in a cursor, checked to hold `types` (e.g. ["int", "int"]); null for none. */
export function decodeCursor(
  after: string | null | undefined,
  types: CursorPart[],
  field = "after",
): CursorKey | null {
  if (after == null) return null;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(after, "base64url").toString("utf8"));
  } catch {
    key = null;
  }
  if (!Array.isArray(key) || key.length !== types.length || key.some((v, i) => !fits(v, types[i]!)))
    throw new InputError(field, "is not a cursor from this list");
  return key as CursorKey;
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** `rows` was fetched with LIMIT size + 1: the extra row only says there is a next page. */
export function toPage<T>(rows: T[], size: number, keyOf: (row: T) => CursorKey): Page<T> {
  const edges = rows.slice(0, size).map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > size,
      endCursor: edges.length ? edges[edges.length - 1]!.cursor : null,
    },
  };
}

/** A database id from a GraphQL ID argument. */
export function parseId(value: string, field: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n > 2147483647)
    throw new InputError(field, `"${value}" is not an id`);
  return n;
}
