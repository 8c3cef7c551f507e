// Builds the optimizer's Instance straight from the customer stream, applying the data contract's
// score semantics exactly as loading the written CSV files would: same rounded numbers, same
// arithmetic, options ordered by offer then channel within each customer.
import type { ConstraintSetDefinition } from "../domain/constraint-set";
import type { Instance, PlanConstraints } from "../optimize/instance";
import { MONEY_SCALE, PROBABILITY_SCALE } from "./decimal";
import { CustomerStream, type CustomerRecord, type ScoreRows } from "./customer-stream";
import { StatsCounter, type GenerateStats } from "./generate";
import { ownedRate } from "./profiles";
import { resolveConstraints } from "../services/resolve-constraints";
import { buildDatasetSpec, type DatasetOptions, type DatasetSpec } from "./spec";

// module-level copies: a transpiled import is a getter call on every access in the hot loop
const P_SCALE = PROBABILITY_SCALE;
const M_SCALE = MONEY_SCALE;

export interface InMemoryDataset {
  instance: Instance;
  /** constraints.json resolved against channels.csv / offers.csv */
  constraints: PlanConstraints;
  /** the constraints.json that writeDataset writes */
  constraintSet: ConstraintSetDefinition;
  spec: DatasetSpec;
  stats: GenerateStats;
}

/** custStart is an Int32Array */
const MAX_OPTIONS = 2 ** 31 - 1;

/** Growable typed columns of options. */
class OptionColumns {
  size = 0;
  offer: Int32Array;
  channel: Int32Array;
  ret: Float64Array;
  cost: Float64Array;

  constructor(capacity: number) {
    this.offer = new Int32Array(capacity);
    this.channel = new Int32Array(capacity);
    this.ret = new Float64Array(capacity);
    this.cost = new Float64Array(capacity);
  }

  push(offer: number, channel: number, ret: number, cost: number): void {
    if (this.size === this.offer.length) this.grow();
    const i = this.size++;
    this.offer[i] = offer;
    this.channel[i] = channel;
    this.ret[i] = ret;
    this.cost[i] = cost;
  }

  private grow(): void {
    // the initial size is a close estimate, so a modest step is enough and saves memory at 50M+
    if (this.offer.length >= MAX_OPTIONS) {
      throw new RangeError(`more than ${MAX_OPTIONS} options do not fit Int32 offsets`);
    }
    const cap = Math.min(MAX_OPTIONS, Math.max(1024, Math.ceil(this.offer.length * 1.25)));
    const grow32 = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    const grow64 = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.offer = grow32(this.offer);
    this.channel = grow32(this.channel);
    this.ret = grow64(this.ret);
    this.cost = grow64(this.cost);
  }
}

export class InstanceBuilder {
  private readonly numOffers: number;
  private readonly numChannels: number;
  private readonly responseFactor: Float64Array;
  private readonly channelCost: Float64Array;
  /** offer × channel: may the offer go through the channel */
  private readonly allowed: Uint8Array;
  /** instance segment index (sorted ids) per spec segment index */
  private readonly segmentIndex: Int32Array;
  private readonly instanceSegments: string[];
  private readonly customerSegment: Int32Array;
  private readonly custStart: Int32Array;
  private readonly options: OptionColumns;
  /** per offer: score row of the channel-less row, -1 = none */
  private readonly baseRow: Int32Array;
  /** per offer × channel: score row naming that channel, -1 = none */
  private readonly channelRow: Int32Array;
  private customers = 0;

  constructor(private readonly spec: DatasetSpec) {
    const n = spec.options.customers;
    this.numOffers = spec.offers.length;
    this.numChannels = spec.channels.length;
    this.responseFactor = Float64Array.from(spec.channels, (c) => c.responseFactor);
    this.channelCost = Float64Array.from(spec.channels, (c) => c.costCents / MONEY_SCALE);
    this.allowed = new Uint8Array(this.numOffers * this.numChannels);
    spec.offers.forEach((o, j) =>
      spec.channels.forEach((c, k) => {
        this.allowed[j * this.numChannels + k] =
          o.channels === null || o.channels.includes(c.id) ? 1 : 0;
      }),
    );
    // sorted, so that the order does not depend on how the segments happen to be listed
    this.instanceSegments = [...spec.segments].sort();
    this.segmentIndex = Int32Array.from(spec.segments, (s) => this.instanceSegments.indexOf(s));
    this.customerSegment = new Int32Array(n);
    this.custStart = new Int32Array(n + 1);
    this.options = new OptionColumns(Math.ceil(n * expectedOptionsPerCustomer(spec) * 1.01) + 1024);
    this.baseRow = new Int32Array(this.numOffers).fill(-1);
    this.channelRow = new Int32Array(this.numOffers * this.numChannels).fill(-1);
  }

  add(c: CustomerRecord, rows: ScoreRows): void {
    const i = this.customers++;
    this.customerSegment[i] = this.segmentIndex[c.segment];
    this.custStart[i] = this.options.size;
    if (c.doNotContact) return;

    const K = this.numChannels;
    for (let r = 0; r < rows.count; r++) {
      const j = rows.offer[r];
      const k = rows.channel[r];
      if (k < 0) this.baseRow[j] = r;
      else this.channelRow[j * K + k] = r;
    }
    for (let j = 0; j < this.numOffers; j++) {
      const base = this.baseRow[j];
      for (let k = 0; k < K; k++) {
        const own = this.channelRow[j * K + k];
        if (!this.allowed[j * K + k] || (own < 0 && base < 0)) continue;
        // a row naming the channel wins for that channel; the response factor applies only to
        // channel-less rows
        const r = own >= 0 ? own : base;
        const p = rows.probabilityUnits[r] / P_SCALE;
        const pk = own >= 0 ? p : Math.min(1, p * this.responseFactor[k]);
        const value = rows.valueCents[r] / M_SCALE;
        const costCents = rows.costCents[r];
        const cost = costCents < 0 ? this.channelCost[k] : costCents / M_SCALE;
        this.options.push(j, k, pk * value, cost);
      }
    }
    for (let r = 0; r < rows.count; r++) {
      const j = rows.offer[r];
      const k = rows.channel[r];
      if (k < 0) this.baseRow[j] = -1;
      else this.channelRow[j * K + k] = -1;
    }
  }

  finish(): Instance {
    const n = this.customers;
    this.custStart[n] = this.options.size;
    const o = this.options;
    return {
      numCustomers: n,
      offerIds: this.spec.offers.map((x) => x.id),
      channelIds: this.spec.channels.map((x) => x.id),
      segments: this.instanceSegments,
      customerSegment: this.customerSegment.subarray(0, n),
      // what a first import into an empty database assigns: 1, 2, … in file order
      customerKey: Int32Array.from({ length: n }, (_, i) => i + 1),
      custStart: this.custStart.subarray(0, n + 1),
      optOffer: trim(o.offer, o.size),
      optChannel: trim(o.channel, o.size),
      optReturn: trim(o.ret, o.size),
      optCost: trim(o.cost, o.size),
    };
  }
}

/** Copying 1.2 GB of columns to drop a few percent of slack is not worth the peak memory. */
function trim<T extends Int32Array | Float64Array>(a: T, size: number): T {
  return (size >= 0.9 * a.length ? a.subarray(0, size) : a.slice(0, size)) as T;
}

/** E[options per customer]: overrides replace options, so only eligibility and channels count. */
function expectedOptionsPerCustomer(spec: DatasetSpec): number {
  const p = spec.profile;
  const totalShare = p.segments.reduce((a, s) => a + s.share, 0);
  let perCustomer = 0;
  for (const seg of p.segments) {
    for (const o of p.offers) {
      const owned = ownedRate(o, seg);
      const channels = o.channels === null ? spec.channels.length : o.channels.length;
      perCustomer += (seg.share / totalShare) * (1 - owned) * channels;
    }
  }
  return perCustomer * (1 - p.doNotContactRate);
}

/** The seeded dataset of `options` as an optimizer Instance plus its resolved constraints, without files. */
export function datasetToInstance(options: DatasetOptions): InMemoryDataset {
  const spec = buildDatasetSpec(options);
  const builder = new InstanceBuilder(spec);
  const counter = new StatsCounter(spec.offers.length);
  const stream = new CustomerStream(spec);
  while (stream.advance()) {
    counter.add(stream.customer, stream.scores);
    builder.add(stream.customer, stream.scores);
  }
  const instance = builder.finish();
  const constraints = resolveConstraints(spec.constraintSet, {
    offerIds: instance.offerIds,
    channelIds: instance.channelIds,
    segments: instance.segments,
    channelCapacity: spec.channels.map((c) => c.capacity ?? Infinity),
    offerMin: spec.offers.map((x) => x.minVolume),
    offerMax: spec.offers.map((x) => x.maxVolume ?? Infinity),
  });
  return {
    instance,
    constraints,
    constraintSet: spec.constraintSet,
    spec,
    stats: counter.finish(),
  };
}
