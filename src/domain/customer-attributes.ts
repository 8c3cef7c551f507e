// The customer file's extra columns are stored as the text of their cells. What the API returns
// types them the way the contact policies read them (a custom capacity takes Number() of the
// cell): a cell written as a plain decimal number is a number. A leading zero keeps a cell text,
// since "007" is an identifier (a postcode, a branch code) and 7 would lose it.
const PLAIN_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

export type AttributeValue = string | number | boolean | null | object;

/** One attribute cell, typed: numbers as numbers, everything else as stored. */
export function typedAttribute(v: unknown): AttributeValue {
  if (typeof v !== "string" || !PLAIN_NUMBER.test(v)) return v as AttributeValue;
  const n = Number(v);
  return Number.isFinite(n) ? n : v;
}

export function typedAttributes(
  attributes: Record<string, unknown> | null,
): Record<string, AttributeValue> | null {
  if (attributes === null) return null;
  return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, typedAttribute(v)]));
}
