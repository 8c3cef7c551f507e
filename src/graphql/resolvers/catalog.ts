// Offers, channels and the dataset summary.
import { datasetSummary } from "../../services/dataset-summary";
import type { Resolvers } from "../__generated__/resolvers";

import { globalId } from "../global-id";

export const catalogResolvers: Resolvers = {
  Query: {
    offers: async (_p, _a, ctx) => (await ctx.loaders.catalog()).offerList,
    channels: async (_p, _a, ctx) => (await ctx.loaders.catalog()).channelList,
    datasetSummary: (_p, _a, ctx) => datasetSummary(ctx.pool),
  },
  Offer: {
    id: (o) => globalId("Offer", o.id),
    externalId: (o) => o.id,
    channels: async (offer, _a, ctx) => {
      const { channels } = await ctx.loaders.catalog();
      return offer.channelDbIds.map((id) => channels.get(id)!);
    },
  },
  Channel: {
    id: (c) => globalId("Channel", c.id),
    externalId: (c) => c.id,
  },
};
