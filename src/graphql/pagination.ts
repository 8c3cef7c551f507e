// Relay connections over keyset pages. A cursor holds the name of the list's order and the row's
// sort key (its sort values, then a unique tiebreaker), so page N costs the same as page 1 however
// large the list, a page stays stable while rows are added elsewhere, and a cursor handed out
// under one orderBy is refused under another instead of silently skipping rows.
import type { KeysetPage, SortKey } from "../domain/keyset";
import { InputError } from "../services/errors";
import type { RequestBudget } from "./request-budget";

export const MAX_PAGE_SIZE = 1000;

/**
 * The page size of each connection when neither first nor last is given, by "Type.field": the
 * resolvers read it, and so does the query cost, which must price the page the field will return.
 */
export const DEFAULT_PAGE_SIZE: Readonly<Record<string, number>> = {
  "Query.plans": 20,
  "Query.analyses": 20,
  "Query.constraintSets": 100,
  "ConstraintSet.versions": 100,
  "Plan.clusters": 100,
  "Plan.proportions": 100,
  "Plan.assignments": 100,
  "PlanComparison.changedCustomers": 100,
  "Customer.assignments": 20,
  "Query.auditEvents": 50,
};

/** A cursor the list did not hand out, or handed out under another order (INVALID_CURSOR). */
export class CursorError extends InputError {
  override name = "CursorError";
}

export type CursorKey = SortKey;

/** What a key part holds: an integer column (ids, indexes), a float, a text or a timestamp. */
export type CursorPart = "int" | "bigint" | "float" | "string" | "date";

// Keys are int4 columns and short external ids; anything else was not handed out by a list, and
// would otherwise reach SQL as a number the database cannot take (an internal error).
const INT4_MIN = -2147483648;
const INT4_MAX = 2147483647;
const MAX_KEY_TEXT = 1000;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function fits(v: unknown, part: CursorPart): boolean {
  if (part === "int")
    return typeof v === "number" && Number.isInteger(v) && v >= INT4_MIN && v <= INT4_MAX;
  if (part === "bigint") return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
  if (part === "float") return typeof v === "number" && Number.isFinite(v);
  if (part === "date") return typeof v === "string" && ISO_INSTANT.test(v);
  return typeof v === "string" && v.length <= MAX_KEY_TEXT;
}

export function encodeCursor(order: string, key: CursorKey): string {
  return Buffer.from(JSON.stringify([order, ...key])).toString("base64url");
}

/** The key in a cursor of `order`, checked to hold `types`. */
export function decodeCursor(
  cursor: string,
  order: string,
  types: CursorPart[],
  field: string,
): CursorKey {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    parts = null;
  }
  if (!Array.isArray(parts) || typeof parts[0] !== "string")
    throw new CursorError(field, "is not a cursor from this list");
  if (parts[0] !== order)
    throw new CursorError(
      field,
      `is a cursor of the order ${parts[0]}, not of ${order}: page from the start again`,
    );
  const key: unknown[] = parts.slice(1);
  if (key.length !== types.length || key.some((v, i) => !fits(v, types[i]!)))
    throw new CursorError(field, "is not a cursor from this list");
  return key as CursorKey;
}

/** The Relay arguments of a connection field. */
export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** A list's order as its cursors name it, and the types of its sort key. */
export interface ListOrder {
  name: string;
  key: CursorPart[];
}

/** A checked page request: what the data layer reads, and the page size it was read for. */
export interface PageRequest extends KeysetPage {
  size: number;
  order: string;
}

function checkedSize(n: number, arg: string): number {
  if (!Number.isInteger(n) || n < 0 || n > MAX_PAGE_SIZE)
    throw new InputError(arg, `must be a whole number from 0 to ${MAX_PAGE_SIZE}`);
  return n;
}

/**
 * first/after pages forward, last/before backward; neither = the field's default page from the
 * start. The size is booked against the request's row budget before the page is read (`at`,
 * "Type.field", names the field in the refusal and keys its default size).
 */
export function pageRequest(
  args: ConnectionArgs,
  order: ListOrder,
  budget: RequestBudget,
  at: string,
): PageRequest {
  const fallback = DEFAULT_PAGE_SIZE[at];
  if (fallback === undefined) throw new Error(`${at} has no default page size`);
  const { first, after, last, before } = args;
  if (first != null && last != null) throw new InputError("last", "give first or last, not both");
  if (after != null && before != null)
    throw new InputError("before", "give after or before, not both");
  if (before != null && first != null)
    throw new InputError("before", "pages backward: give it with last (after goes with first)");
  if (after != null && last != null)
    throw new InputError("after", "pages forward: give it with first (before goes with last)");
  const backward = last != null || before != null;
  const size = checkedSize(
    backward ? (last ?? fallback) : (first ?? fallback),
    backward ? "last" : "first",
  );
  budget.reserveRows(size, at);
  const cursor = backward ? before : after;
  const key =
    cursor != null
      ? decodeCursor(cursor, order.name, order.key, backward ? "before" : "after")
      : null;
  return { key, backward, limit: size + 1, size, order: order.name };
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

/**
 * `rows` were read in the direction of travel with LIMIT size + 1: the extra row says there is
 * more that way. The other way there is more exactly when the page started from a cursor (the
 * row the cursor names is there, unless it was deleted since).
 */
export function toPage<T>(rows: T[], req: PageRequest, keyOf: (row: T) => CursorKey): Page<T> {
  const more = rows.length > req.size;
  const inOrder = rows.slice(0, req.size);
  if (req.backward) inOrder.reverse();
  const edges = inOrder.map((node) => ({ cursor: encodeCursor(req.order, keyOf(node)), node }));
  const fromCursor = req.key !== null;
  return {
    edges,
    pageInfo: {
      hasNextPage: req.backward ? fromCursor : more,
      hasPreviousPage: req.backward ? more : fromCursor,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** A field's orderBy as its cursors name it: "CREATED_AT:DESC". */
export const orderName = (o: { field: string; direction: string }) => `${o.field}:${o.direction}`;
