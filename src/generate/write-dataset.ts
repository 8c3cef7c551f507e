// Writes a dataset directory: channels.csv, offers.csv, customers.csv, scores.csv, constraints.json.
// The two bulk files are encoded into 1 MB byte chunks and written with backpressure, so memory
// stays flat for any customer count.
import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { BulkCsvEncoder, channelsCsv, constraintsJson, offersCsv } from "./csv-text";
import type { CustomerRecord, ScoreRows } from "./customer-stream";
import { generateDataset, type DatasetSink, type GenerateStats } from "./generate";
import type { DatasetOptions, DatasetSpec } from "./spec";

export interface WriteDatasetOptions extends DatasetOptions {
  outDir: string;
  /** called after each chunk of customers is handed to the files (about every 10,000) */
  onProgress?: (customersDone: number, customersTotal: number) => void;
}

export interface GenerateSummary extends GenerateStats {
  outDir: string;
  files: string[];
}

export const DATASET_FILES = [
  "channels.csv",
  "offers.csv",
  "customers.csv",
  "scores.csv",
  "constraints.json",
] as const;

const STREAM_BUFFER_BYTES = 4 * 1024 * 1024;

class CsvFileSink implements DatasetSink {
  private encoder: BulkCsvEncoder | null = null;
  private customers: WriteStream | null = null;
  private scores: WriteStream | null = null;
  private done = 0;

  constructor(
    private readonly outDir: string,
    private readonly onProgress?: (customersDone: number) => void,
  ) {}

  async begin(spec: DatasetSpec): Promise<void> {
    await Promise.all([
      writeFile(join(this.outDir, "channels.csv"), channelsCsv(spec)),
      writeFile(join(this.outDir, "offers.csv"), offersCsv(spec)),
      writeFile(join(this.outDir, "constraints.json"), constraintsJson(spec)),
    ]);
    this.encoder = new BulkCsvEncoder(spec);
    this.customers = openStream(join(this.outDir, "customers.csv"));
    this.scores = openStream(join(this.outDir, "scores.csv"));
  }

  customer(c: CustomerRecord, rows: ScoreRows): void {
    if (!this.encoder) throw new Error("customer before begin");
    this.encoder.add(c, rows);
    this.done++;
  }

  async flush(): Promise<void> {
    const { encoder, customers, scores } = this;
    if (!encoder || !customers || !scores) throw new Error("flush before begin");
    await Promise.all([
      write(customers, encoder.customers.take()),
      write(scores, encoder.scores.take()),
    ]);
    this.onProgress?.(this.done);
  }

  async end(): Promise<void> {
    const { customers, scores } = this;
    if (!customers || !scores) throw new Error("end before begin");
    await Promise.all([close(customers), close(scores)]);
  }

  /** on failure: release the file handles, keep the error of the failure */
  abort(): void {
    this.customers?.destroy();
    this.scores?.destroy();
  }
}

function openStream(path: string): WriteStream {
  const s = createWriteStream(path, { highWaterMark: STREAM_BUFFER_BYTES });
  // errors surface through once()/finished(); this keeps one with no waiter from crashing Node
  s.on("error", () => undefined);
  return s;
}

async function write(stream: WriteStream, chunks: Buffer[]): Promise<void> {
  // stop at once on a failed write (disk full) instead of generating the rest for nothing
  if (stream.errored) throw stream.errored;
  let ok = true;
  for (const c of chunks) ok = stream.write(c);
  if (!ok) await once(stream, "drain");
}

async function close(stream: WriteStream): Promise<void> {
  stream.end();
  await finished(stream);
}

/** Generates the seeded dataset into outDir (created if needed); same options → identical bytes. */
export async function writeDataset(options: WriteDatasetOptions): Promise<GenerateSummary> {
  const { outDir, onProgress, ...datasetOptions } = options;
  await mkdir(outDir, { recursive: true });
  const total = datasetOptions.customers;
  const sink = new CsvFileSink(outDir, onProgress && ((done) => onProgress(done, total)));
  try {
    const stats = await generateDataset(datasetOptions, sink);
    return { ...stats, outDir, files: DATASET_FILES.map((f) => join(outDir, f)) };
  } catch (err) {
    sink.abort();
    throw err;
  }
}
