// The small tables of a dataset (channels, offers, segments, constraint set) for a given size.
// Everything here is a pure function of the options; the per-customer part is in customer-stream.ts.
import type { ConstraintSetDefinition } from "../domain/constraint-set";
import { MONEY_SCALE, toUnits } from "./decimal";
import { getProfile, type OfferCategory, type Profile, type ProfileName } from "./profiles";

export interface DatasetOptions {
  customers: number;
  seed: number;
  /** a named profile, or a custom one (calibration, tests): see profiles.ts */
  profile: ProfileName | Profile;
}

function profileOf(options: DatasetOptions): Profile {
  return typeof options.profile === "string" ? getProfile(options.profile) : options.profile;
}

export interface ChannelSpec {
  id: string;
  name: string;
  costCents: number;
  /** null = unlimited */
  capacity: number | null;
  responseFactor: number;
}

export interface OfferSpec {
  id: string;
  name: string;
  category: OfferCategory;
  minVolume: number;
  /** null = unlimited */
  maxVolume: number | null;
  /** null = every channel */
  channels: string[] | null;
}

export interface DatasetSpec {
  options: DatasetOptions;
  profile: Profile;
  channels: ChannelSpec[];
  offers: OfferSpec[];
  /** segment ids in the profile's order (the order customer records refer to) */
  segments: string[];
  constraintSet: ConstraintSetDefinition;
}

export function validateOptions(options: DatasetOptions): void {
  if (!Number.isSafeInteger(options.customers) || options.customers < 1) {
    throw new RangeError(`customers must be a positive integer, got ${options.customers}`);
  }
  // customer keys are Int32 and ids are padded to a fixed width; far beyond any real campaign
  if (options.customers > 100_000_000) {
    throw new RangeError(`customers must be at most 100,000,000, got ${options.customers}`);
  }
  if (!Number.isSafeInteger(options.seed) || options.seed < 0) {
    throw new RangeError(`seed must be a non-negative integer, got ${options.seed}`);
  }
  profileOf(options); // throws on an unknown name
}

export function buildDatasetSpec(options: DatasetOptions): DatasetSpec {
  validateOptions(options);
  const profile = profileOf(options);
  const n = options.customers;
  const share = (s: number) => Math.round(s * n);

  const channels: ChannelSpec[] = profile.channels.map((c) => ({
    id: c.id,
    name: c.name,
    costCents: toUnits(c.cost, MONEY_SCALE),
    capacity: c.capacityShare === null ? null : share(c.capacityShare),
    responseFactor: c.responseFactor,
  }));
  const offers: OfferSpec[] = profile.offers.map((o) => ({
    id: o.id,
    name: o.name,
    category: o.category,
    minVolume: share(o.minShare),
    maxVolume: o.maxShare === null ? null : share(o.maxShare),
    channels: o.channels,
  }));
  const budgetCents = toUnits(profile.budgetPerCustomer * n, MONEY_SCALE);

  return {
    options: { ...options },
    profile,
    channels,
    offers,
    segments: profile.segments.map((s) => s.id),
    constraintSet: {
      name: `Demo campaign (${profile.name} profile, ${n} customers, seed ${options.seed})`,
      objective: "EXPECTED_RETURN",
      budget: budgetCents / MONEY_SCALE,
      hurdleRate: profile.hurdleRate,
      maxOffersPerCustomer: profile.maxOffersPerCustomer,
      // capacities and volumes live in channels.csv / offers.csv; the set adds only plan-level rules
      channelCapacities: [],
      offerVolumes: [],
      segmentRules: [],
    },
  };
}
