// Multi-period planning (the patent's multiple events): a campaign calendar of several waves
// optimised at once, as one instance whose options are (offer, channel, wave). Every method then
// picks each customer's best wave rather than the first, and exact mode's certified gap holds for
// the whole calendar.
//
// The expansion:
//   channels    one per (channel, wave), named "<channel>@<wave>"; its capacity is the wave's
//               (or the channel's own limit, per wave); segment rules see the base channel
//               (PlanConstraints.channelFamily)
//   budget      the set's budget caps the whole calendar; a wave's own budget is a custom
//               capacity "budget@<wave>" (Σ cost over that wave's contacts)
//   per wave    at most maxOffersPerCustomer offers per customer and wave: a fatigue class
//               "offers_per_customer@<wave>" with no history
//   offers      each offer at most once per customer over the calendar; offer minimums and
//               maximums count the whole calendar
//   fatigue     the window ending on wave w's day holds history before it (the wave's own prior)
//               and the plan's contacts in every wave inside the window; it is the fullest of the
//               windows around w, so one class per rule and wave "<rule>@<wave>" covers them all
//   cool-off    per wave, from the history before that wave's day; sequencing likewise
//   exclusion, household and custom capacities hold for the calendar as a whole.

import type { Instance, PlanConstraints } from "./instance";
import type { FatiguePolicy, OptionFilter, Policy } from "./policy-types";
import { stopCheck, type StopCheck } from "./stop";

export interface Wave {
  name: string;
  /** days after the first wave (0 for it) */
  offsetDays: number;
  /** this wave's budget; Infinity = none */
  budget: number;
  /** per base channel; Infinity = the calendar's channel capacity applies to this wave */
  channelCapacity: Float64Array;
  /** the constraint set's policies as of this wave's day (same rules, same order, every wave) */
  policies: Policy[];
}

export interface Calendar {
  inst: Instance;
  cons: PlanConstraints;
  /** per calendar option: the base option and the wave */
  optBase: Int32Array;
  optWave: Int32Array;
  waves: Wave[];
}

/** shouldStop: as OptimizeOptions.shouldStop (the expansion copies every option once per wave). */
export function expandCalendar(
  inst: Instance,
  cons: PlanConstraints,
  waves: Wave[],
  shouldStop?: () => boolean,
): Calendar {
  const stop = stopCheck(shouldStop);
  const W = waves.length;
  const K = inst.channelIds.length;
  checkWaves(waves, K);
  const { channelIds, channelFamily, channelCapacity } = waveChannelTable(inst, cons, waves);
  const { cInst, optBase, optWave } = expandOptions(inst, W, channelIds, stop);

  const waveChannels = (ws: number[], base: Uint8Array | null): Uint8Array => {
    const mask = new Uint8Array(W * K);
    for (const w of ws)
      for (let k = 0; k < K; k++) if (base === null || base[k]) mask[w * K + k] = 1;
    return mask;
  };
  const M = cons.maxOffersPerCustomer;
  const policies = [
    ...perWavePolicies(waves, M, inst.numCustomers, waveChannels),
    ...ruleWavePolicies(waves, waveChannels),
  ];

  const cCons: PlanConstraints = {
    ...cons,
    maxOffersPerCustomer: M * W,
    channelCapacity,
    channelFamily,
    policies,
  };
  return { inst: cInst, cons: cCons, optBase, optWave, waves };
}

/** The channel mask over (channel, wave) of the given waves, within base's channels (null = all). */
type WaveChannels = (ws: number[], base: Uint8Array | null) => Uint8Array;

function checkWaves(waves: Wave[], K: number): void {
  if (waves.length < 1) {
    throw new Error("invalid optimisation input: a calendar needs at least one wave");
  }
  waves.forEach((w, t) => {
    if (w.channelCapacity.length !== K) {
      throw new Error(`invalid optimisation input: wave ${w.name}: channelCapacity length`);
    }
    if (t > 0 && !(w.offsetDays > waves[t - 1].offsetDays)) {
      throw new Error(`invalid optimisation input: wave ${w.name} is not after the one before`);
    }
    if (w.policies.length !== waves[0].policies.length) {
      throw new Error(`invalid optimisation input: wave ${w.name}: policies differ from wave 1`);
    }
  });
}

/** One channel per (channel, wave): its name, base channel and capacity (the wave's own, or the
 * channel's limit). */
function waveChannelTable(
  inst: Instance,
  cons: PlanConstraints,
  waves: Wave[],
): { channelIds: string[]; channelFamily: Int32Array; channelCapacity: Float64Array } {
  const W = waves.length;
  const K = inst.channelIds.length;
  const channelIds: string[] = [];
  const channelFamily = new Int32Array(W * K);
  const channelCapacity = new Float64Array(W * K);
  waves.forEach((wave, w) => {
    for (let k = 0; k < K; k++) {
      channelIds.push(`${inst.channelIds[k]}@${wave.name}`);
      channelFamily[w * K + k] = k;
      const own = wave.channelCapacity[k];
      channelCapacity[w * K + k] = Number.isFinite(own) ? own : cons.channelCapacity[k];
    }
  });
  return { channelIds, channelFamily, channelCapacity };
}

/** Every option copied once per wave, customer by customer, on the channel of its wave. */
function expandOptions(
  inst: Instance,
  W: number,
  channelIds: string[],
  stop: StopCheck,
): { cInst: Instance; optBase: Int32Array; optWave: Int32Array } {
  const K = inst.channelIds.length;
  const n = inst.numCustomers;
  const nOpt = inst.optOffer.length;
  const total = nOpt * W;
  const custStart = new Int32Array(n + 1);
  const optOffer = new Int32Array(total);
  const optChannel = new Int32Array(total);
  const optReturn = new Float64Array(total);
  const optCost = new Float64Array(total);
  const optBase = new Int32Array(total);
  const optWave = new Int32Array(total);
  let q = 0;
  for (let i = 0; i < n; i++) {
    stop.every(i);
    custStart[i] = q;
    for (let w = 0; w < W; w++) {
      for (let p = inst.custStart[i]; p < inst.custStart[i + 1]; p++) {
        optOffer[q] = inst.optOffer[p];
        optChannel[q] = w * K + inst.optChannel[p];
        optReturn[q] = inst.optReturn[p];
        optCost[q] = inst.optCost[p];
        optBase[q] = p;
        optWave[q++] = w;
      }
    }
  }
  custStart[n] = q;
  const cInst: Instance = {
    ...inst,
    channelIds,
    custStart,
    optOffer,
    optChannel,
    optReturn,
    optCost,
  };
  return { cInst, optBase, optWave };
}

/** Per wave: its offers-per-customer limit (with more than one wave) and its own budget. */
function perWavePolicies(
  waves: Wave[],
  M: number,
  n: number,
  waveChannels: WaveChannels,
): Policy[] {
  const policies: Policy[] = [];
  waves.forEach((wave, w) => {
    if (waves.length > 1) {
      policies.push({
        kind: "fatigue",
        name: `offers_per_customer@${wave.name}`,
        reportOnly: false,
        limit: M,
        windowDays: 1,
        filter: { offers: null, channels: waveChannels([w], null) },
        prior: new Uint16Array(n),
      });
    }
    if (Number.isFinite(wave.budget)) {
      policies.push({
        kind: "custom_capacity",
        name: `budget@${wave.name}`,
        reportOnly: false,
        aggregate: "SUM",
        max: wave.budget,
        min: null,
        filter: { offers: null, channels: waveChannels([w], null) },
        customerValue: null,
        field: "cost",
      });
    }
  });
  return policies;
}

/** The constraint set's policies over the calendar, in their order: fatigue, cool-off and
 * sequencing once per wave, custom capacities over every wave, the rest as they are. */
function ruleWavePolicies(waves: Wave[], waveChannels: WaveChannels): Policy[] {
  const W = waves.length;
  const policies: Policy[] = [];
  waves[0].policies.forEach((pol, r) => {
    switch (pol.kind) {
      case "fatigue":
        waves.forEach((wave) => {
          const own = wave.policies[r] as FatiguePolicy;
          // waves whose contacts fall inside the window that ends on wave w's day
          const inside: number[] = [];
          waves.forEach((v, u) => {
            if (
              v.offsetDays <= wave.offsetDays &&
              wave.offsetDays - v.offsetDays < pol.windowDays
            ) {
              inside.push(u);
            }
          });
          policies.push({
            ...own,
            name: W > 1 ? `${pol.name}@${wave.name}` : pol.name,
            filter: {
              offers: pol.filter.offers,
              channels: waveChannels(inside, pol.filter.channels),
            },
          });
        });
        break;
      case "cool_off":
      case "sequencing":
        waves.forEach((wave, w) => {
          const own = wave.policies[r];
          if (own.kind !== pol.kind) throw new Error(`wave ${wave.name}: policy ${r} differs`);
          const filter: OptionFilter = {
            offers: null,
            channels: waveChannels([w], own.filter?.channels ?? null),
          };
          policies.push({ ...own, name: W > 1 ? `${pol.name}@${wave.name}` : pol.name, filter });
        });
        break;
      case "custom_capacity":
        policies.push({
          ...pol,
          filter: {
            offers: pol.filter.offers,
            channels: waveChannels(
              waves.map((_, w) => w),
              pol.filter.channels,
            ),
          },
        });
        break;
      default:
        policies.push(pol);
    }
  });
  return policies;
}
