// Which options a contact policy counts, as the rule kinds (rules/) and the report read it.
import type { Instance } from "./instance";
import type { CustomCapacityPolicy, OptionFilter } from "./policy-types";

/** the filter that counts every option */
export const ALL: OptionFilter = { offers: null, channels: null };

export function matches(f: OptionFilter, offer: number, channel: number): boolean {
  return (
    (f.offers === null || f.offers[offer] === 1) &&
    (f.channels === null || f.channels[channel] === 1)
  );
}

/** Does the filter have one entry per offer and per channel of the instance? */
export function filterFits(f: OptionFilter, inst: Instance): boolean {
  return (
    (f.offers === null || f.offers.length === inst.offerIds.length) &&
    (f.channels === null || f.channels.length === inst.channelIds.length)
  );
}

/** 1 per (offer, channel) cell the filter counts, offer-major. */
export function cellMask(f: OptionFilter, O: number, K: number): Uint8Array {
  const mask = new Uint8Array(O * K);
  for (let o = 0; o < O; o++) {
    for (let k = 0; k < K; k++) {
      mask[o * K + k] =
        (f.offers === null || f.offers[o] === 1) && (f.channels === null || f.channels[k] === 1)
          ? 1
          : 0;
    }
  }
  return mask;
}

/** The measure of option p of customer i under a custom capacity (NaN = missing). */
export function measureOf(pol: CustomCapacityPolicy, inst: Instance, i: number, p: number): number {
  switch (pol.field) {
    case "expectedReturn":
      return inst.optReturn[p];
    case "cost":
      return inst.optCost[p];
    case "contacts":
      return 1;
    default:
      return pol.customerValue![i];
  }
}

/** Report name of a custom capacity's max or min row (both get a suffix when both are given). */
export function customRowName(pol: CustomCapacityPolicy, side: "max" | "min"): string {
  return pol.max !== null && pol.min !== null ? `${pol.name}:${side}` : pol.name;
}
