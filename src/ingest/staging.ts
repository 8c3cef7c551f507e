// Staging tables and the COPY that fills them. They are UNLOGGED (no WAL) and have no index: a
// plain COPY into such a table is the cheapest way to get rows into the server (a TEMP table
// measured ~60% slower here, its local buffers being small). They are created inside the import's
// transaction and dropped before it commits, so no other session ever sees them and a failed
// import leaves nothing behind; the backend pid in their names keeps concurrent imports apart.
import { once } from "node:events";
import { finished } from "node:stream/promises";
import type { PoolClient } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { CopyOut } from "./copy-out";

export interface StagingTables {
  channel: string;
  offer: string;
  offerChannel: string;
  customer: string;
  score: string;
}

/** column lists, in the order the row encoders write them */
export const STAGING_COLUMNS: Record<keyof StagingTables, string> = {
  channel:
    "line int, external_id text, name text, cost_per_contact float8, capacity int, response_factor float8, attributes jsonb",
  offer:
    "line int, external_id text, name text, category text, min_volume int, max_volume int, all_channels boolean, attributes jsonb",
  offerChannel: "line int, offer_external_id text, channel_external_id text",
  customer: "line int, external_id text, segment text, do_not_contact boolean, attributes jsonb",
  // offers and channels are resolved while reading (catalog-ids.ts), customers in SQL
  score:
    "line int, customer_external_id text, offer_id int, channel_id int, probability float8, value float8, cost float8, attributes jsonb",
};

export function stagingTables(backendPid: number): StagingTables {
  return {
    channel: `_ingest_channel_${backendPid}`,
    offer: `_ingest_offer_${backendPid}`,
    offerChannel: `_ingest_offer_channel_${backendPid}`,
    customer: `_ingest_customer_${backendPid}`,
    score: `_ingest_score_${backendPid}`,
  };
}

export async function createStagingTables(client: PoolClient, t: StagingTables): Promise<void> {
  const ddl = (Object.keys(t) as (keyof StagingTables)[]).map(
    (k) => `CREATE UNLOGGED TABLE ${t[k]} (${STAGING_COLUMNS[k]})`,
  );
  await client.query(ddl.join(";\n"));
}

export async function dropStagingTables(client: PoolClient, t: StagingTables): Promise<void> {
  await client.query(`DROP TABLE ${Object.values(t).join(", ")}`);
}

const COPY_IN_FLIGHT_BYTES = 8 << 20;

/** Where a COPY goes: its statement, and whether the rows are in the binary format. */
export interface CopyTarget {
  sql: string;
  binary: boolean;
}

// the framing of binary COPY data: signature, flags, header extension length; end marker
const BINARY_HEADER = Buffer.concat([Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.alloc(8)]);
const BINARY_TRAILER = Buffer.from([0xff, 0xff]);

/** A COPY … FROM STDIN in progress, fed from a CopyOut with backpressure. */
export class CopyIn {
  private readonly stream: ReturnType<typeof copyFrom>;
  private failure: Error | null = null;

  private readonly binary: boolean;

  constructor(
    client: PoolClient,
    target: CopyTarget,
    private readonly out: CopyOut,
  ) {
    this.binary = target.binary;
    this.stream = client.query(copyFrom(target.sql));
    if (this.binary) this.stream.write(BINARY_HEADER);
    // kept until the next write or end(), which rethrow it; without a listener Node would crash
    this.stream.on("error", (e: Error) => (this.failure ??= e));
  }

  /** Sends the filled output buffers (all of it when final), waiting while the socket is full. */
  async flush(final = false): Promise<void> {
    if (this.failure) throw this.failure;
    for (const chunk of this.out.take(final)) this.stream.write(chunk);
    // a few MB in flight let Node read on while the server parses what it was sent
    if (this.stream.writableLength > COPY_IN_FLIGHT_BYTES) await once(this.stream, "drain");
  }

  /** Finishes the COPY; returns the rows the server stored. */
  async end(): Promise<number> {
    await this.flush(true);
    this.stream.end(this.binary ? BINARY_TRAILER : undefined);
    await finished(this.stream);
    if (this.failure) throw this.failure;
    return this.stream.rowCount;
  }

  /** Abandons the COPY (the server rolls it back); the transaction is rolled back after. */
  abort(): void {
    this.stream.destroy(new Error("import aborted"));
  }
}

/** Copies a whole buffer at once (small tables). */
export async function copyAll(
  client: PoolClient,
  tables: StagingTables,
  kind: keyof StagingTables,
  out: CopyOut,
): Promise<number> {
  return new CopyIn(client, stagingCopy(tables, kind), out).end();
}

/** The COPY that fills a staging table, its columns in the order the row encoders write them. */
export function stagingCopy(tables: StagingTables, kind: keyof StagingTables): CopyTarget {
  const sql = `COPY ${tables[kind]} (${columnNames(STAGING_COLUMNS[kind])}) FROM STDIN`;
  return { sql, binary: false };
}

function columnNames(definition: string): string {
  return definition
    .split(",")
    .map((c) => c.trim().split(" ")[0])
    .join(", ");
}
