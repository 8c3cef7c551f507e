// The per-customer part of a dataset: one customer record and its score rows at a time, in
// customer order, from one seeded random stream. Both the CSV writer and the in-memory instance
// builder consume this same stream, which is what makes them agree number for number.
import { MONEY_SCALE, PROBABILITY_SCALE, toUnits } from "./decimal";
import { Random } from "./prng";
import { ownedRate, type CustomerFlag, type OfferProfile, type Profile } from "./profiles";
import type { DatasetSpec } from "./spec";

// module-level copies: a transpiled import is a getter call on every access in the hot loop
const P_SCALE = PROBABILITY_SCALE;
const M_SCALE = MONEY_SCALE;

export interface CustomerRecord {
  /** 0-based position in customers.csv */
  index: number;
  id: string;
  /** index into DatasetSpec.segments */
  segment: number;
  doNotContact: boolean;
  ageBand: string;
  tenureYears: number;
  householdId: string;
}

/** Score rows of one customer, grouped by offer, the channel-less row first. Reused between customers. */
export class ScoreRows {
  count = 0;
  offer: Int32Array;
  /** index into DatasetSpec.channels, -1 = no channel */
  channel: Int32Array;
  /** probability in millionths (PROBABILITY_SCALE) */
  probabilityUnits: Float64Array;
  /** value in cents */
  valueCents: Float64Array;
  /** cost in cents, -1 = empty (the channel's cost applies) */
  costCents: Float64Array;

  constructor(capacity: number) {
    this.offer = new Int32Array(capacity);
    this.channel = new Int32Array(capacity);
    this.probabilityUnits = new Float64Array(capacity);
    this.valueCents = new Float64Array(capacity);
    this.costCents = new Float64Array(capacity);
  }

  push(offer: number, channel: number, pUnits: number, valueCents: number, costCents: number) {
    const i = this.count++;
    this.offer[i] = offer;
    this.channel[i] = channel;
    this.probabilityUnits[i] = pUnits;
    this.valueCents[i] = valueCents;
    this.costCents[i] = costCents;
  }
}

interface CompiledOverride {
  channel: number;
  flag: CustomerFlag;
  probabilityFactor: number;
  /** -1 = empty */
  costCents: number;
}

interface CompiledOffer {
  profile: OfferProfile;
  /** -1 = empty */
  rowCostCents: number;
  overrides: CompiledOverride[];
  /** per segment */
  probabilityScale: Float64Array;
  ownedRate: Float64Array;
}

/** the model noise on an override row: the second model agrees with the first only roughly */
const OVERRIDE_SIGMA = 0.2;
/** households of 1, 2 or 3 customers listed next to each other */
const SECOND_MEMBER_RATE = 0.3;
const THIRD_MEMBER_RATE = 0.1;

export class CustomerStream {
  readonly customer: CustomerRecord;
  readonly scores: ScoreRows;
  private readonly rng: Random;
  private readonly profile: Profile;
  private readonly offers: CompiledOffer[];
  private readonly segmentCumulative: Float64Array;
  private readonly idWidth: number;
  /** per override of the current offer; drawn even when unused, see advance() */
  private readonly overrideNoise: Float64Array;
  private next = 0;
  private household = 0;
  private householdLeft = 0;

  constructor(private readonly spec: DatasetSpec) {
    this.profile = spec.profile;
    this.rng = new Random(spec.options.seed);
    const channelIndex = new Map(spec.channels.map((c, i) => [c.id, i]));
    const channelCents = spec.channels.map((c) => c.costCents);
    const segments = this.profile.segments;

    this.offers = this.profile.offers.map((o) => ({
      profile: o,
      rowCostCents: o.rowCost === null ? -1 : toUnits(o.rowCost, MONEY_SCALE),
      overrides: o.overrides.map((ov) => {
        const k = channelIndex.get(ov.channel);
        if (k === undefined) throw new Error(`override names unknown channel ${ov.channel}`);
        if (o.channels !== null && !o.channels.includes(ov.channel)) {
          throw new Error(`offer ${o.id} does not allow channel ${ov.channel} of its override`);
        }
        return {
          channel: k,
          flag: ov.flag,
          probabilityFactor: ov.uplift * spec.channels[k].responseFactor,
          costCents:
            ov.extraCost === null ? -1 : channelCents[k] + toUnits(ov.extraCost, MONEY_SCALE),
        };
      }),
      probabilityScale: Float64Array.from(
        segments,
        (s) => o.baseProbability * (s.affinity[o.id] ?? 1),
      ),
      ownedRate: Float64Array.from(segments, (s) => ownedRate(o, s)),
    }));

    const total = segments.reduce((a, s) => a + s.share, 0);
    let acc = 0;
    this.segmentCumulative = Float64Array.from(segments, (s) => (acc += s.share / total));
    this.idWidth = Math.max(7, String(spec.options.customers).length);

    const maxRows = this.offers.reduce((a, o) => a + 1 + o.overrides.length, 0);
    this.scores = new ScoreRows(maxRows);
    this.overrideNoise = new Float64Array(
      Math.max(1, ...this.offers.map((o) => o.overrides.length)),
    );
    this.customer = {
      index: -1,
      id: "",
      segment: 0,
      doNotContact: false,
      ageBand: "",
      tenureYears: 0,
      householdId: "",
    };
  }

  get remaining(): number {
    return this.spec.options.customers - this.next;
  }

  /** Fills `customer` and `scores` with the next customer; false when all have been produced. */
  advance(): boolean {
    if (this.next >= this.spec.options.customers) return false;
    const rng = this.rng;
    const p = this.profile;
    const c = this.customer;
    const i = this.next++;

    const u = rng.next();
    let s = 0;
    while (s < this.segmentCumulative.length - 1 && u >= this.segmentCumulative[s]) s++;
    const seg = p.segments[s];

    c.index = i;
    c.id = "C" + String(i + 1).padStart(this.idWidth, "0");
    c.segment = s;
    c.doNotContact = rng.next() < p.doNotContactRate;
    c.ageBand = pickWeighted(seg.ageBands, rng.next());
    c.tenureYears = Math.floor(rng.next() ** 1.5 * (seg.maxTenureYears + 1));
    if (this.householdLeft === 0) {
      this.household++;
      const v = rng.next();
      this.householdLeft = 1 + (v < SECOND_MEMBER_RATE ? 1 : 0) + (v < THIRD_MEMBER_RATE ? 1 : 0);
    }
    this.householdLeft--;
    c.householdId = "H" + String(this.household).padStart(this.idWidth, "0");

    // Latent traits shared by all of the customer's offers: good customers are good for most offers,
    // which is what makes the choice of offer and channel per customer matter.
    const propensity = rng.meanOneLognormal(p.propensitySigma);
    const wealth = Math.exp(seg.wealthMu + p.wealthSigma * rng.normal());
    const flagAdvisor = rng.next() < seg.advisorRate;
    const flagPreapproved = rng.next() < p.preapprovedRate;

    const rows = this.scores;
    const overrideNoise = this.overrideNoise;
    rows.count = 0;
    const cap = p.probabilityCap;
    for (let j = 0; j < this.offers.length; j++) {
      const o = this.offers[j];
      // drawn for every offer so that one offer's eligibility never shifts another's numbers
      const owned = rng.next() < o.ownedRate[s];
      const x = o.probabilityScale[s] * propensity * rng.meanOneLognormal(p.pairSigma);
      const valueNoise = rng.meanOneLognormal(o.profile.valueSigma);
      const ovs = o.overrides;
      for (let k = 0; k < ovs.length; k++) overrideNoise[k] = rng.meanOneLognormal(OVERRIDE_SIGMA);
      if (owned) continue;
      const prob = Math.max(p.probabilityFloor, cap * (1 - Math.exp(-x / cap)));
      const value = o.profile.meanValue * wealth ** o.profile.wealthElasticity * valueNoise;
      const valueCents = Math.max(1, Math.round(value * M_SCALE));
      rows.push(j, -1, Math.round(prob * P_SCALE), valueCents, o.rowCostCents);
      for (let k = 0; k < ovs.length; k++) {
        const ov = ovs[k];
        if (!(ov.flag === "advisor" ? flagAdvisor : flagPreapproved)) continue;
        const po = Math.min(1, prob * ov.probabilityFactor * overrideNoise[k]);
        rows.push(j, ov.channel, Math.round(po * P_SCALE), valueCents, ov.costCents);
      }
    }
    return true;
  }
}

function pickWeighted(items: ReadonlyArray<readonly [string, number]>, u: number): string {
  let total = 0;
  for (const [, w] of items) total += w;
  let acc = 0;
  for (const [v, w] of items) {
    acc += w / total;
    if (u < acc) return v;
  }
  return items[items.length - 1][0];
}
