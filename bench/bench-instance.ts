// The generator's paper-shaped instances in memory, with the variants the core benchmarks sweep:
// maxOffersPerCustomer, one contact policy of every kind (synthetic history), a calendar of waves.
// Shared by optimize-core.ts and quality.ts.

import { datasetToInstance } from "../src/generate";
import type { ProfileName } from "../src/generate";
import { expandCalendar } from "../src/optimize/calendar";
import type { Instance, PlanConstraints } from "../src/optimize/instance";
import type { Policy } from "../src/optimize/policy-types";
import { Rng } from "../src/optimize/rng";

export interface BenchInstanceSpec {
  customers: number;
  profile: ProfileName;
  seed: number;
  /** absent = the profile's own */
  maxOffers?: number;
  /** 1 = a single wave */
  waves: number;
  policies: boolean;
  /** policy kinds to keep (empty = all) */
  policyKinds?: string[];
}

export function benchInstance(spec: BenchInstanceSpec): {
  instance: Instance;
  constraints: PlanConstraints;
} {
  const { customers, seed, profile, waves } = spec;
  const generated = datasetToInstance({ customers, seed, profile });
  let instance: Instance = generated.instance;
  let constraints: PlanConstraints = generated.constraints;
  const maxOffers = spec.maxOffers ?? constraints.maxOffersPerCustomer;
  constraints = { ...constraints, maxOffersPerCustomer: maxOffers };
  const kinds = spec.policyKinds ?? [];
  const policiesFor = (wave: number) =>
    spec.policies ? syntheticPolicies(instance, seed + wave, kinds) : [];
  if (waves > 1) {
    const cal = expandCalendar(
      instance,
      constraints,
      Array.from({ length: waves }, (_, w) => ({
        name: `m${w + 1}`,
        offsetDays: 30 * w,
        budget: Number.isFinite(constraints.budget) ? constraints.budget / waves : Infinity,
        channelCapacity: new Float64Array(instance.channelIds.length).fill(Infinity),
        policies: policiesFor(w),
      })),
    );
    instance = cal.inst;
    constraints = { ...cal.cons, budget: Infinity };
  } else if (spec.policies) {
    constraints = { ...constraints, policies: policiesFor(0) };
  }
  return { instance, constraints };
}

/** One policy of every kind (or of the kinds named), with a synthetic history. */
export function syntheticPolicies(inst: Instance, seed: number, kinds: string[]): Policy[] {
  const rng = new Rng(1000 + seed);
  const n = inst.numCustomers;
  const O = inst.offerIds.length;
  const K = inst.channelIds.length;
  const blockedCustomer: number[] = [];
  const blockedOffer: number[] = [];
  for (let i = 0; i < n; i++) {
    if (rng.float() < 0.2) {
      blockedCustomer.push(i);
      blockedOffer.push(rng.int(O));
    }
  }
  const only = (len: number, pick: (x: number) => boolean) =>
    Uint8Array.from({ length: len }, (_, x) => (pick(x) ? 1 : 0));
  const household = new Int32Array(n);
  for (let i = 0, h = 0; i < n; h++) {
    const size = 1 + rng.int(4);
    for (let t = 0; t < size && i < n; t++) household[i++] = h;
  }
  const all: Policy[] = [
    {
      kind: "fatigue",
      name: "fatigue:30d",
      reportOnly: false,
      limit: 4,
      windowDays: 30,
      filter: { offers: null, channels: null },
      prior: Uint16Array.from({ length: n }, () => rng.int(6)),
    },
    {
      kind: "fatigue",
      name: "fatigue:7d/channel:last",
      reportOnly: false,
      limit: 1,
      windowDays: 7,
      filter: { offers: null, channels: only(K, (k) => k === K - 1) },
      prior: Uint16Array.from({ length: n }, () => (rng.float() < 0.1 ? 1 : 0)),
    },
    {
      kind: "cool_off",
      name: "cool_off:90d",
      reportOnly: false,
      days: 90,
      blockedCustomer: Int32Array.from(blockedCustomer),
      blockedOffer: Int32Array.from(blockedOffer),
    },
    { kind: "mutual_exclusion", name: "exclusion:0+1", reportOnly: false, offers: [0, 1] },
    {
      kind: "sequencing",
      name: "sequencing:last_after_0",
      reportOnly: false,
      offer: O - 1,
      after: 0,
      minDays: 30,
      qualified: Uint8Array.from({ length: n }, () => (rng.float() < 0.3 ? 1 : 0)),
    },
    {
      kind: "custom_capacity",
      name: "custom:avg_risk",
      reportOnly: false,
      aggregate: "AVERAGE",
      max: 0.3,
      min: null,
      filter: { offers: only(O, (o) => o >= 2 && o <= 4), channels: null },
      customerValue: Float64Array.from({ length: n }, () => rng.float()),
      field: null,
    },
    { kind: "household", name: "household:household_id", reportOnly: false, limit: 2, household },
  ];
  return kinds.length === 0 ? all : all.filter((p) => kinds.includes(p.kind));
}
