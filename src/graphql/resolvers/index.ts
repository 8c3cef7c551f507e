// All resolvers, one module per part of the schema, merged into the generated Resolvers type.
import type { Resolvers } from "../__generated__/resolvers";
import { adminResolvers } from "./admin";
import { analysisResolvers } from "./analyses";
import { catalogResolvers } from "./catalog";
import { comparisonResolvers } from "./comparison";
import { constraintSetResolvers } from "./constraint-sets";
import { customerResolvers } from "./customers";
import { explanationResolvers } from "./explanation";
import { historyResolvers } from "./history";
import { nodeResolvers } from "./nodes";
import { planResolvers } from "./plans";
import { resultsResolvers } from "./results";
import { scalarResolvers } from "./scalars";
import { subscriptionResolvers } from "./subscriptions";

const parts: Resolvers[] = [
  scalarResolvers,
  adminResolvers,
  catalogResolvers,
  customerResolvers,
  explanationResolvers,
  constraintSetResolvers,
  planResolvers,
  comparisonResolvers,
  analysisResolvers,
  resultsResolvers,
  historyResolvers,
  nodeResolvers,
  subscriptionResolvers,
];

export const resolvers: Resolvers = parts.reduce<Resolvers>(
  (all, part) => ({
    ...all,
    ...part,
    Query: { ...all.Query, ...part.Query },
    Mutation: { ...all.Mutation, ...part.Mutation },
  }),
  {},
);
