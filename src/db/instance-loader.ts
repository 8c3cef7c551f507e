// Builds the optimizer's typed-array Instance from PostgreSQL. Customers and score rows are read
// at the same time on two connections that share one snapshot (the first transaction exports it,
// the second adopts it), both as binary COPY decoded straight off the socket (copy-out.ts), and
// the data contract's option expansion runs on each customer's rows as they arrive
// (option-expander.ts): PostgreSQL sending the score rows is then the critical path. The SQL view
// eligible_option says the same thing (BI, summaries, tests cross-check the two), but evaluating
// it costs ~2 µs an option inside PostgreSQL, where this path streams the ~2.3× fewer score rows.
import type { Pool, PoolClient } from "pg";
import type { Instance } from "../optimize/instance";
import { readOffersAndChannels } from "./catalog";
import { copyOutBinary } from "./copy-out";
import { inTransaction, READ_ONLY_SNAPSHOT } from "./transaction";
import {
  ABSENT,
  OptionExpander,
  type CustomerTable,
  type ExpanderCatalog,
} from "./option-expander";

export interface CatalogOffer {
  dbId: number;
  id: string;
  category: string | null;
  minVolume: number;
  maxVolume: number | null;
  /** allowed flag per channel index */
  allowed: boolean[];
}
export interface CatalogChannel {
  dbId: number;
  id: string;
  costPerContact: number;
  capacity: number | null;
  responseFactor: number;
}
/** What the instance's indexes stand for, with the dataset's default limits. */
export interface Catalog {
  offers: CatalogOffer[];
  channels: CatalogChannel[];
  segments: string[];
}

export interface LoadedInstance {
  instance: Instance;
  catalog: Catalog;
  /** the dataset revision the instance was read at (same snapshot) */
  revision: number;
  seconds: number;
  /**
   * seconds: the transactions and sizes; the catalog and reading customers, and the catalog and
   * reading + expanding score rows (concurrent, both from the end of start); laying the options
   * out in customer order
   */
  phases: { start: number; customers: number; scores: number; assemble: number };
}

export async function loadInstance(pool: Pool): Promise<LoadedInstance> {
  const started = performance.now();
  // One snapshot for every read, so a concurrent import cannot mix old and new rows: the first
  // transaction exports it and the second, on its own connection, adopts it.
  const read = await inTransaction(
    pool,
    async (first) => {
      const { rows: snap } = await first.query<{ id: string }>("SELECT pg_export_snapshot() AS id");
      if (!canTakeSecondConnection(pool)) return readAll(first, first);
      return inTransaction(
        pool,
        async (second) => {
          await second.query(`SET TRANSACTION SNAPSHOT '${snap[0]!.id}'`);
          return readAll(first, second);
        },
        READ_ONLY_SNAPSHOT,
      );
    },
    READ_ONLY_SNAPSHOT,
  );
  const { expander, ...rest } = read.offersAndChannels;
  const catalog: Catalog = { ...rest, segments: read.segments };
  const tAssemble = performance.now();
  const options = expander.assemble();
  const instance: Instance = {
    ...options,
    offerIds: catalog.offers.map((o) => o.id),
    channelIds: catalog.channels.map((c) => c.id),
    segments: catalog.segments,
  };
  const done = performance.now();
  return {
    instance,
    catalog,
    revision: read.revision,
    seconds: (done - started) / 1000,
    phases: {
      start: (read.tStreams - started) / 1000,
      customers: (read.tCustomers - read.tStreams) / 1000,
      scores: (read.tScores - read.tStreams) / 1000,
      assemble: (done - tAssemble) / 1000,
    },
  };
}

/** What the snapshot's reads return, with when each stream began and ended. */
interface SnapshotReads {
  segments: string[];
  offersAndChannels: Omit<Catalog, "segments"> & { expander: OptionExpander };
  revision: number;
  tStreams: number;
  tCustomers: number;
  tScores: number;
}

/**
 * Customers on `first` and score rows on `second` (the same connection when the pool has only
 * one), both in the snapshot's transactions.
 */
async function readAll(first: PoolClient, second: PoolClient): Promise<SnapshotReads> {
  // max(id) comes from the primary key and the counts from the statistics: a count(*) would
  // scan the customers once more before anything streams.
  const { rows: size } = await first.query<{
    max: number | null;
    customers: number;
    scores: number;
    revision: string;
  }>(
    `SELECT (SELECT max(id) FROM customer) AS max,
            (SELECT revision::text FROM data_revision WHERE kind = 'dataset') AS revision,
            (SELECT greatest(reltuples, 0)::float8 FROM pg_class WHERE oid = 'customer'::regclass) AS customers,
            (SELECT greatest(reltuples, 0)::float8 FROM pg_class WHERE oid = 'score'::regclass) AS scores`,
  );
  const maxId = size[0]!.max ?? 0;
  const customers: CustomerTable = {
    segmentOfId: new Int32Array(maxId + 1).fill(ABSENT),
    doNotContactOfId: new Uint8Array(maxId + 1),
  };
  const tStreams = performance.now();
  let tCustomers = 0;
  let tScores = 0;
  // The score rows need only offers and channels, the customers only the segments: the
  // segments' DISTINCT scan and the customers' stream run beside the score rows' stream.
  const [segments, offersAndChannels] = await Promise.all([
    loadSegments(first).then(async (segments) => {
      await loadCustomers(first, segments, customers);
      tCustomers = performance.now();
      return segments;
    }),
    loadOffersAndChannels(second).then(async (catalog) => {
      const forExpander = expanderCatalog(catalog);
      const expander = new OptionExpander(
        forExpander,
        customers,
        Math.ceil(size[0]!.customers * 1.02),
        Math.ceil(size[0]!.scores * 1.02 * mostChannels(forExpander)),
      );
      await loadScores(second, catalog, expander);
      tScores = performance.now();
      return { ...catalog, expander };
    }),
  ]);
  const revision = Number(size[0]!.revision ?? 0);
  return { segments, offersAndChannels, revision, tStreams, tCustomers, tScores };
}

/** The pool can give a second connection without waiting for the first to return. */
function canTakeSecondConnection(pool: Pool): boolean {
  const max = (pool as unknown as { options?: { max?: number } }).options?.max ?? 10;
  return max >= 2;
}

/** The catalogue as the API reads it, with each offer's channels as a flag per channel index. */
async function loadOffersAndChannels(client: PoolClient): Promise<Omit<Catalog, "segments">> {
  const { offers, channels } = await readOffersAndChannels(client);
  return {
    offers: offers.map((o) => {
      const through = new Set(o.channelDbIds);
      return {
        dbId: o.dbId,
        id: o.id,
        category: o.category,
        minVolume: o.minVolume,
        maxVolume: o.maxVolume,
        allowed: channels.map((c) => through.has(c.dbId)),
      };
    }),
    channels: channels.map((c) => ({
      dbId: c.dbId,
      id: c.id,
      costPerContact: c.costPerContact,
      capacity: c.capacity,
      responseFactor: c.responseFactor,
    })),
  };
}

async function loadSegments(client: PoolClient): Promise<string[]> {
  const { rows } = await client.query<{ segment: string }>(
    "SELECT DISTINCT segment FROM customer WHERE segment IS NOT NULL ORDER BY segment",
  );
  return rows.map((s) => s.segment);
}

/** Fills the customers table by database id (the instance orders customers by id). */
async function loadCustomers(
  client: PoolClient,
  segments: string[],
  { segmentOfId, doNotContactOfId }: CustomerTable,
): Promise<void> {
  // The segment's index in the sorted list is computed in SQL to keep the stream numeric; heap
  // order, since the arrays are by id anyway.
  await copyOutBinary(
    client,
    `COPY (SELECT c.id, coalesce(array_position(${literalArray(segments)}::text[], c.segment) - 1, -1)::int4,
                  c.do_not_contact::int4
           FROM customer c) TO STDOUT (FORMAT binary)`,
    ["int4", "int4", "int4"],
    (v) => {
      const id = v[0]!;
      segmentOfId[id] = v[1]!;
      doNotContactOfId[id] = v[2]!;
    },
  );
}

function literalArray(values: string[]): string {
  const quoted = values.map((v) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`);
  return `'{${quoted.join(",").replace(/'/g, "''")}}'`;
}

async function loadScores(
  client: PoolClient,
  catalog: Omit<Catalog, "segments">,
  expander: OptionExpander,
): Promise<void> {
  const offerIndex = indexByDbId(catalog.offers);
  const channelIndex = indexByDbId(catalog.channels);
  await copyOutBinary(
    client,
    "COPY score (customer_id, offer_id, channel_id, probability, value, cost) TO STDOUT (FORMAT binary)",
    ["int4", "int4", "int4", "float8", "float8", "float8"],
    (v) => {
      const channel = v[2]!;
      expander.row(
        v[0]!,
        offerIndex[v[1]!]!,
        channel < 0 ? -1 : channelIndex[channel]!,
        v[3]!,
        v[4]!,
        v[5]!,
      );
    },
  );
}

function expanderCatalog(catalog: Omit<Catalog, "segments">): ExpanderCatalog {
  const nC = catalog.channels.length;
  const allowed = new Uint8Array(catalog.offers.length * nC);
  catalog.offers.forEach((o, j) => o.allowed.forEach((a, c) => (allowed[j * nC + c] = a ? 1 : 0)));
  return {
    numOffers: catalog.offers.length,
    numChannels: nC,
    allowed,
    responseFactor: Float64Array.from(catalog.channels, (c) => c.responseFactor),
    channelCost: Float64Array.from(catalog.channels, (c) => c.costPerContact),
  };
}

/** Database id → instance index as a dense array: a Map lookup per row costs seconds at 20M rows. */
function indexByDbId(items: { dbId: number }[]): Int32Array {
  const index = new Int32Array(Math.max(0, ...items.map((x) => x.dbId)) + 1).fill(-1);
  items.forEach((x, i) => (index[x.dbId] = i));
  return index;
}

/** The most options one score row can give: the channels of the offer allowing the most. */
function mostChannels(c: ExpanderCatalog): number {
  let most = 1;
  for (let j = 0; j < c.numOffers; j++) {
    let n = 0;
    for (let k = 0; k < c.numChannels; k++) n += c.allowed[j * c.numChannels + k]!;
    most = Math.max(most, n);
  }
  return most;
}
