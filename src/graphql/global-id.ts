// Global ids are typed and readable, "<type>:<key>" (Plan:42, Customer:C001), rather than opaque
// base64: a log line, an audit record or a support ticket shows which object it means, and the
// key part is the same number or external id the CLI and the CSV files use. They are still unique
// across types, which is what node(id:) and a client cache need. An argument that takes one
// type's id also takes the bare key, so ids printed by the CLI can be pasted in.
import { InputError } from "../services/errors";

export const NODE_TYPES = [
  "Plan",
  "ConstraintSet",
  "ConstraintSetVersion",
  "Analysis",
  "ScoreCalibration",
  "ApiKey",
  "Customer",
  "Offer",
  "Channel",
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

const isNodeType = (s: string): s is NodeType => (NODE_TYPES as readonly string[]).includes(s);

const INT4_MAX = 2147483647;

export const globalId = (type: NodeType, key: number | string) => `${type}:${key}`;

/** A global id's type and key; a clear refusal for anything else. */
export function parseGlobalId(value: string, field: string): { type: NodeType; key: string } {
  const at = value.indexOf(":");
  const type = at > 0 ? value.slice(0, at) : "";
  if (!isNodeType(type) || at === value.length - 1)
    throw new InputError(
      field,
      `"${value}" is not a global id: expected <type>:<key> with a type of ${NODE_TYPES.join(", ")}`,
    );
  return { type, key: value.slice(at + 1) };
}

/** The key of an argument that names one type's object: its global id, or the bare key. */
export function keyOf(value: string, field: string, type: NodeType): string {
  const at = value.indexOf(":");
  const prefix = at > 0 ? value.slice(0, at) : "";
  if (prefix === type) return value.slice(at + 1);
  if (isNodeType(prefix))
    throw new InputError(field, `"${value}" is the id of an object of type ${prefix}, not ${type}`);
  return value;
}

/** A database id from a GraphQL ID argument: "Plan:42" or "42". */
export function parseId(value: string, field: string, type: NodeType): number {
  return databaseId(keyOf(value, field, type), value, field, `a ${type} id`);
}

function databaseId(key: string, value: string, field: string, what: string): number {
  const n = Number(key);
  if (!/^\d+$/.test(key) || !Number.isSafeInteger(n) || n > INT4_MAX)
    throw new InputError(field, `"${value}" is not ${what}`);
  return n;
}
