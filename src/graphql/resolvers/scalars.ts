// JSON, JSONObject and DateTime, the custom scalars of schema.graphql.
import { GraphQLScalarType, Kind, type ValueNode } from "graphql";
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
};
