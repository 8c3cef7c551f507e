// Stored KPIs name channels by their external id; a field that returns the Channel finds it in
// the request's catalog.
import type { GraphQLContext } from "./context";
import type { ChannelModel } from "./models";

export async function channelByExternalId(ctx: GraphQLContext, id: string): Promise<ChannelModel> {
  const ch = (await ctx.loaders.catalog()).channelByExternalId.get(id);
  // A plan's KPIs name the channels of the catalog it ran on; imports never delete a channel.
  if (!ch) throw new Error(`channel "${id}" of a plan's KPIs is not in the catalog`);
  return ch;
}
