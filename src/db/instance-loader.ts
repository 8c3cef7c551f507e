// Builds the optimizer's typed-array Instance from PostgreSQL: binary COPY of the customers and
// of the raw score rows, then the data contract's expansion done on typed arrays. The SQL view
// eligible_option says the same thing (BI, summaries, tests cross-check the two), but evaluating
// it row by row costs ~2 µs an option in PostgreSQL, where this path streams the ~3× fewer score
// rows and expands them in Node while the database is still sending.
import type { Pool, PoolClient } from "pg";
import { to as copyTo } from "pg-copy-streams";
import type { Instance } from "../optimize/instance";
import { readBinaryCopy } from "./copy-binary";

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
  seconds: number;
  /** seconds reading customers, reading score rows, expanding options */
  phases: { customers: number; scores: number; expand: number };
}

export async function loadInstance(pool: Pool): Promise<LoadedInstance> {
  const started = performance.now();
  const client = await pool.connect();
  try {
    // One snapshot for every read, so a concurrent import cannot mix old and new rows.
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const catalog = await loadCatalog(client);
    const customers = await loadCustomers(client, catalog.segments);
    const tScores = performance.now();
    const raw = await loadScores(client, customers.indexOfId, catalog);
    await client.query("COMMIT");
    const tExpand = performance.now();
    const instance = expandOptions(customers, catalog, raw);
    const done = performance.now();
    return {
      instance,
      catalog,
      seconds: (done - started) / 1000,
      phases: {
        customers: (tScores - started) / 1000,
        scores: (tExpand - tScores) / 1000,
        expand: (done - tExpand) / 1000,
      },
    };
  } catch (e) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

async function loadCatalog(client: PoolClient): Promise<Catalog> {
  const channels = await client.query<{
    id: number;
    external_id: string;
    cost_per_contact: number;
    capacity: number | null;
    response_factor: number;
  }>(
    "SELECT id, external_id, cost_per_contact, capacity, response_factor FROM channel ORDER BY external_id",
  );
  const offers = await client.query<{
    id: number;
    external_id: string;
    category: string | null;
    min_volume: number;
    max_volume: number | null;
    all_channels: boolean;
    channel_ids: number[];
  }>(
    `SELECT o.id, o.external_id, o.category, o.min_volume, o.max_volume, o.all_channels,
            ARRAY(SELECT channel_id FROM offer_channel oc WHERE oc.offer_id = o.id) AS channel_ids
     FROM offer o ORDER BY o.external_id`,
  );
  const segments = await client.query<{ segment: string }>(
    "SELECT DISTINCT segment FROM customer WHERE segment IS NOT NULL ORDER BY segment",
  );
  return {
    offers: offers.rows.map((o) => ({
      dbId: o.id,
      id: o.external_id,
      category: o.category,
      minVolume: o.min_volume,
      maxVolume: o.max_volume,
      allowed: channels.rows.map((c) => o.all_channels || o.channel_ids.includes(c.id)),
    })),
    channels: channels.rows.map((c) => ({
      dbId: c.id,
      id: c.external_id,
      costPerContact: c.cost_per_contact,
      capacity: c.capacity,
      responseFactor: c.response_factor,
    })),
    segments: segments.rows.map((s) => s.segment),
  };
}

interface Customers {
  customerKey: Int32Array;
  customerSegment: Int32Array;
  doNotContact: Uint8Array;
  indexOfId: Int32Array;
  segments: string[];
}

async function loadCustomers(client: PoolClient, segments: string[]): Promise<Customers> {
  const max = await client.query<{ max: number | null; n: string }>(
    "SELECT max(id) AS max, count(*) AS n FROM customer",
  );
  const count = Number(max.rows[0]!.n);
  const indexOfId = new Int32Array((max.rows[0]!.max ?? 0) + 1).fill(-1);
  const customerKey = new Int32Array(count);
  const customerSegment = new Int32Array(count);
  const doNotContact = new Uint8Array(count);
  // The segment's index in the sorted list is computed in SQL to keep the stream numeric.
  const stream = client.query(
    copyTo(
      `COPY (SELECT c.id, coalesce(array_position(${literalArray(segments)}::text[], c.segment) - 1, -1)::int4,
                    c.do_not_contact::int4
             FROM customer c ORDER BY c.id) TO STDOUT (FORMAT binary)`,
    ),
  );
  let i = 0;
  await readBinaryCopy(stream, ["int4", "int4", "int4"], (row) => {
    const id = row.values[0]!;
    indexOfId[id] = i;
    customerKey[i] = id;
    customerSegment[i] = row.values[1]!;
    doNotContact[i] = row.values[2]!;
    i++;
  });
  return { customerKey, customerSegment, doNotContact, indexOfId, segments };
}

function literalArray(values: string[]): string {
  const quoted = values.map((v) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`);
  return `'{${quoted.join(",").replace(/'/g, "''")}}'`;
}

/** Score rows with customer, offer and channel as instance indexes (channel -1 = every channel). */
export interface RawScores {
  n: number;
  cust: Int32Array;
  offer: Int32Array;
  channel: Int32Array;
  probability: Float64Array;
  value: Float64Array;
  /** NaN = the channel's cost per contact */
  cost: Float64Array;
}

async function loadScores(
  client: PoolClient,
  indexOfId: Int32Array,
  catalog: Catalog,
): Promise<RawScores> {
  const offerIndex = indexByDbId(catalog.offers);
  const channelIndex = indexByDbId(catalog.channels);
  const estimate = await client.query<{ n: number }>(
    "SELECT greatest(reltuples, 0)::float8 AS n FROM pg_class WHERE oid = 'score'::regclass",
  );
  const raw = allocScores(Math.max(1024, Math.ceil((estimate.rows[0]?.n ?? 0) * 1.05)));
  const stream = client.query(
    copyTo(
      `COPY (SELECT customer_id, offer_id, coalesce(channel_id, -1), probability, value, cost FROM score)
       TO STDOUT (FORMAT binary)`,
    ),
  );
  let s = raw;
  await readBinaryCopy(stream, ["int4", "int4", "int4", "float8", "float8", "float8"], (row) => {
    if (s.n === s.cust.length) s = growScores(s);
    const v = row.values;
    const k = s.n++;
    s.cust[k] = indexOfId[v[0]!]!;
    s.offer[k] = offerIndex[v[1]!]!;
    s.channel[k] = v[2]! < 0 ? -1 : channelIndex[v[2]!]!;
    s.probability[k] = v[3]!;
    s.value[k] = v[4]!;
    s.cost[k] = v[5]!;
  });
  return s;
}

/** Database id → instance index as a dense array: a Map lookup per row costs seconds at 20M rows. */
function indexByDbId(items: { dbId: number }[]): Int32Array {
  const index = new Int32Array(Math.max(0, ...items.map((x) => x.dbId)) + 1).fill(-1);
  items.forEach((x, i) => (index[x.dbId] = i));
  return index;
}

function allocScores(cap: number): RawScores {
  return {
    n: 0,
    cust: new Int32Array(cap),
    offer: new Int32Array(cap),
    channel: new Int32Array(cap),
    probability: new Float64Array(cap),
    value: new Float64Array(cap),
    cost: new Float64Array(cap),
  };
}

function growScores(s: RawScores): RawScores {
  const t = allocScores(s.cust.length * 2);
  t.n = s.n;
  t.cust.set(s.cust);
  t.offer.set(s.offer);
  t.channel.set(s.channel);
  t.probability.set(s.probability);
  t.value.set(s.value);
  t.cost.set(s.cost);
  return t;
}

/**
 * The data contract's eligibility, on arrays: a channel-less row holds for every channel the
 * offer allows (probability × response factor, capped at 1) unless a row naming that channel
 * overrides it; do-not-contact customers get no options. Options are ordered by customer, then
 * offer, then channel.
 */
export function expandOptions(customers: Customers, catalog: Catalog, raw: RawScores): Instance {
  const numCustomers = customers.customerKey.length;
  const nC = catalog.channels.length;
  const nO = catalog.offers.length;
  // Score rows grouped by customer (counting sort), each group then ordered by offer.
  const rowStart = new Int32Array(numCustomers + 1);
  for (let k = 0; k < raw.n; k++) rowStart[raw.cust[k]! + 1]!++;
  for (let i = 0; i < numCustomers; i++) rowStart[i + 1]! += rowStart[i]!;
  const order = new Int32Array(raw.n);
  const next = rowStart.slice(0, numCustomers);
  for (let k = 0; k < raw.n; k++) order[next[raw.cust[k]!]!++] = k;

  const allowed = new Uint8Array(nO * nC);
  catalog.offers.forEach((o, j) => o.allowed.forEach((a, c) => (allowed[j * nC + c] = a ? 1 : 0)));
  const rf = Float64Array.from(catalog.channels, (c) => c.responseFactor);
  const channelCost = Float64Array.from(catalog.channels, (c) => c.costPerContact);

  // Per customer and offer: the generic row and the channel-specific rows.
  const generic = new Int32Array(nO).fill(-1);
  const specific = new Int32Array(nO * nC).fill(-1);
  const touched: number[] = [];

  const visit = (
    emit: (i: number, j: number, c: number, p: number, value: number, cost: number) => void,
  ) => {
    for (let i = 0; i < numCustomers; i++) {
      if (customers.doNotContact[i]) continue;
      for (let a = rowStart[i]!; a < rowStart[i + 1]!; a++) {
        const k = order[a]!;
        const j = raw.offer[k]!;
        if (generic[j] === -1 && !touched.includes(j)) touched.push(j);
        if (raw.channel[k]! < 0) generic[j] = k;
        else specific[j * nC + raw.channel[k]!] = k;
      }
      touched.sort((x, y) => x - y);
      for (const j of touched) {
        const g = generic[j]!;
        for (let c = 0; c < nC; c++) {
          const sk = specific[j * nC + c]!;
          specific[j * nC + c] = -1;
          if (!allowed[j * nC + c]) continue;
          if (sk >= 0) {
            const cost = raw.cost[sk]!;
            emit(
              i,
              j,
              c,
              raw.probability[sk]!,
              raw.value[sk]!,
              Number.isNaN(cost) ? channelCost[c]! : cost,
            );
          } else if (g >= 0) {
            const cost = raw.cost[g]!;
            emit(
              i,
              j,
              c,
              Math.min(1, raw.probability[g]! * rf[c]!),
              raw.value[g]!,
              Number.isNaN(cost) ? channelCost[c]! : cost,
            );
          }
        }
        generic[j] = -1;
      }
      touched.length = 0;
    }
  };

  const custStart = new Int32Array(numCustomers + 1);
  visit((i) => custStart[i + 1]!++);
  for (let i = 0; i < numCustomers; i++) custStart[i + 1]! += custStart[i]!;
  const total = custStart[numCustomers]!;
  const optOffer = new Int32Array(total);
  const optChannel = new Int32Array(total);
  const optReturn = new Float64Array(total);
  const optCost = new Float64Array(total);
  let at = 0;
  visit((_i, j, c, p, value, cost) => {
    optOffer[at] = j;
    optChannel[at] = c;
    optReturn[at] = p * value;
    optCost[at] = cost;
    at++;
  });
  return {
    numCustomers,
    offerIds: catalog.offers.map((o) => o.id),
    channelIds: catalog.channels.map((c) => c.id),
    segments: customers.segments,
    customerSegment: customers.customerSegment,
    customerKey: customers.customerKey,
    custStart,
    optOffer,
    optChannel,
    optReturn,
    optCost,
  };
}
