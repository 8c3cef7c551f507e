// node(id:) and nodes(ids:): any object by its global id (src/graphql/global-id.ts), read
// through the same loaders and with the same role as its own query field.
import { requireRole } from "../../auth";
import { InputError } from "../../services/errors";
import { listApiKeys } from "../../services/api-keys";
import { analysisById, calibrationById } from "../../services/record-reads";
import type { Resolvers } from "../__generated__/resolvers";
import type { GraphQLContext } from "../context";
import { keyOf, parseGlobalId, parseId, type NodeType } from "../global-id";

/** The largest nodes(ids:) list: each id may cost a read. */
export const MAX_NODES = 100;

// __resolveType sees only the object; the id it was fetched by said its type.
const typeOf = new WeakMap<object, NodeType>();

async function fetch(ctx: GraphQLContext, type: NodeType, key: string, field: string) {
  const id = () => parseId(key, field, type);
  switch (type) {
    case "Plan":
      return ctx.loaders.plan.load(id());
    case "ConstraintSet":
      return ctx.loaders.constraintSet.load(id());
    case "ConstraintSetVersion":
      return ctx.loaders.version.load(id());
    case "Analysis":
      return analysisById(ctx.prisma, id());
    case "ScoreCalibration":
      return calibrationById(ctx.prisma, id());
    case "ApiKey": {
      requireRole(ctx.caller, "ADMIN");
      const n = id();
      return (await listApiKeys(ctx.prisma)).find((k) => k.id === n) ?? null;
    }
    case "Customer":
      return ctx.loaders.customerByExternalId.load(keyOf(key, field, type));
    case "Offer":
      return (await ctx.loaders.catalog()).offerByExternalId.get(key) ?? null;
    case "Channel":
      return (await ctx.loaders.catalog()).channelByExternalId.get(key) ?? null;
  }
}

async function node(ctx: GraphQLContext, value: string, field: string) {
  const { type, key } = parseGlobalId(value, field);
  const found = await fetch(ctx, type, key, field);
  if (found) typeOf.set(found, type);
  return found;
}

export const nodeResolvers: Resolvers = {
  Query: {
    node: (_p, { id }, ctx) => node(ctx, id, "id"),
    nodes: (_p, { ids }, ctx) => {
      if (ids.length > MAX_NODES)
        throw new InputError("ids", `at most ${MAX_NODES} ids, got ${ids.length}`);
      return Promise.all(ids.map((id, i) => node(ctx, id, `ids.${i}`)));
    },
  },
  Node: {
    __resolveType: (obj) => {
      const type = typeOf.get(obj);
      if (!type) throw new Error("a Node that node(id:) did not fetch");
      return type;
    },
  },
};
