// Streaming entry point: runs the customer stream into any sink, in chunks, so that a sink that
// writes files can wait for backpressure between chunks while the stream itself stays synchronous.
import { CustomerStream, type CustomerRecord, type ScoreRows } from "./customer-stream";
import { buildDatasetSpec, type DatasetOptions, type DatasetSpec } from "./spec";

export interface DatasetSink {
  /** once, before the first customer */
  begin?(spec: DatasetSpec): void | Promise<void>;
  /** Each customer with its score rows. Both objects are reused: copy what must outlive the call. */
  customer(customer: CustomerRecord, scores: ScoreRows): void;
  /** after every chunk of customers: the place to wait for backpressure */
  flush?(): void | Promise<void>;
  /** once, after the last customer and its flush */
  end?(): void | Promise<void>;
}

export interface GenerateStats {
  customers: number;
  scoreRows: number;
  /** rows that name a channel (overrides of the channel-less row for that channel) */
  channelRows: number;
  doNotContact: number;
  /** customer × offer pairs without any score row (already owned: not eligible) */
  ineligiblePairs: number;
  seconds: number;
}

/** customers per chunk: ~8 score rows each, so ~0.5 MB of CSV text per flush */
export const DEFAULT_CHUNK_CUSTOMERS = 10_000;

export class StatsCounter {
  private readonly started = process.hrtime.bigint();
  private readonly offerSeen: Uint8Array;
  readonly stats: GenerateStats = {
    customers: 0,
    scoreRows: 0,
    channelRows: 0,
    doNotContact: 0,
    ineligiblePairs: 0,
    seconds: 0,
  };

  constructor(private readonly numOffers: number) {
    this.offerSeen = new Uint8Array(numOffers);
  }

  add(c: CustomerRecord, rows: ScoreRows): void {
    const s = this.stats;
    s.customers++;
    if (c.doNotContact) s.doNotContact++;
    s.scoreRows += rows.count;
    this.offerSeen.fill(0);
    let covered = 0;
    for (let r = 0; r < rows.count; r++) {
      if (rows.channel[r] >= 0) s.channelRows++;
      const j = rows.offer[r];
      if (!this.offerSeen[j]) {
        this.offerSeen[j] = 1;
        covered++;
      }
    }
    s.ineligiblePairs += this.numOffers - covered;
  }

  finish(): GenerateStats {
    this.stats.seconds = Number(process.hrtime.bigint() - this.started) / 1e9;
    return { ...this.stats };
  }
}

/** Generates the seeded dataset of `options` into `sink`; same options → same calls, same numbers. */
export async function generateDataset(
  options: DatasetOptions,
  sink: DatasetSink,
  chunkCustomers = DEFAULT_CHUNK_CUSTOMERS,
): Promise<GenerateStats> {
  const spec = buildDatasetSpec(options);
  const counter = new StatsCounter(spec.offers.length);
  await sink.begin?.(spec);
  const stream = new CustomerStream(spec);
  for (;;) {
    let n = 0;
    while (n < chunkCustomers && stream.advance()) {
      counter.add(stream.customer, stream.scores);
      sink.customer(stream.customer, stream.scores);
      n++;
    }
    await sink.flush?.();
    if (n < chunkCustomers || stream.remaining === 0) break;
  }
  await sink.end?.();
  return counter.finish();
}
