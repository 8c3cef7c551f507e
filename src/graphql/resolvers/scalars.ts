// JSON, JSONObject, DateTime and Date, the custom scalars of schema.graphql.
import { GraphQLScalarType, Kind, type ValueNode } from "graphql";
import { isCampaignDate } from "../../domain/dates";
import type { Resolvers } from "../__generated__/resolvers";

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function literal(node: ValueNode): unknown {
  switch (node.kind) {
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, literal(f.value)]));
    case Kind.LIST:
      return node.values.map(literal);
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.STRING:
    case Kind.ENUM:
      return node.value;
    case Kind.BOOLEAN:
      return node.value;
    default:
      return null;
  }
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T/;

/** yyyy-mm-dd from a calendar day, or the UTC day of an ISO-8601 date-time. */
function calendarDay(v: unknown): string {
  const s = String(v);
  if (isCampaignDate(s)) return s;
  // Date() rolls 2026-02-30 over into March: the day part must be a real day of its own
  const d = DATE_TIME.test(s) && isCampaignDate(s.slice(0, 10)) ? new Date(s) : null;
  if (!d || Number.isNaN(d.getTime()))
    throw new TypeError(`Date must be yyyy-mm-dd or an ISO-8601 date-time, got "${s}"`);
  return d.toISOString().slice(0, 10);
}

export const scalarResolvers: Resolvers = {
  JSON: new GraphQLScalarType({
    name: "JSON",
    serialize: (v) => v,
    parseValue: (v) => v,
    parseLiteral: (node) => literal(node),
  }),
  JSONObject: new GraphQLScalarType({
    name: "JSONObject",
    serialize: (v) => {
      if (!isObject(v)) throw new TypeError("JSONObject must be an object");
      return v;
    },
    parseValue: (v) => {
      if (!isObject(v)) throw new TypeError("JSONObject must be an object");
      return v;
    },
    parseLiteral: (node) => {
      const v = literal(node);
      if (!isObject(v)) throw new TypeError("JSONObject must be an object");
      return v;
    },
  }),
  DateTime: new GraphQLScalarType({
    name: "DateTime",
    serialize: (v) => {
      const d = v instanceof Date ? v : new Date(String(v));
      if (Number.isNaN(d.getTime())) throw new TypeError("DateTime must be a date");
      return d.toISOString();
    },
    parseValue: (v) => {
      const d = new Date(String(v));
      if (Number.isNaN(d.getTime())) throw new TypeError("DateTime must be an ISO-8601 date-time");
      return d;
    },
    parseLiteral: (node) => {
      if (node.kind !== Kind.STRING) throw new TypeError("DateTime must be a string");
      const d = new Date(node.value);
      if (Number.isNaN(d.getTime())) throw new TypeError("DateTime must be an ISO-8601 date-time");
      return d;
    },
  }),
  Date: new GraphQLScalarType({
    name: "Date",
    serialize: (v) => calendarDay(v instanceof Date ? v.toISOString() : v),
    parseValue: (v) => calendarDay(v),
    parseLiteral: (node) => {
      if (node.kind !== Kind.STRING) throw new TypeError("Date must be a string");
      return calendarDay(node.value);
    },
  }),
};
