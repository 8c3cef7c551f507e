// Explanation and its priced options.
import type { Resolvers } from "../__generated__/resolvers";

export const explanationResolvers: Resolvers = {
  PricedOption: {
    offer: async (o, _a, ctx) => (await ctx.loaders.catalog()).offers.get(o.offerDbId)!,
    channel: async (o, _a, ctx) => (await ctx.loaders.catalog()).channels.get(o.channelDbId)!,
  },
};
