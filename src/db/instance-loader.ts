// Builds the optimizer's typed-array Instance from PostgreSQL in one streaming pass per table:
// binary COPY of the eligible_option view (the data contract's semantics live in that view),
// then a counting sort into per-customer rows.
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
}
export interface CatalogChannel {
  dbId: number;
  id: string;
  costPerContact: number;
  capacity: number | null;
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
}

export async function loadInstance(pool: Pool): Promise<LoadedInstance> {
  const started = performance.now();
  const client = await pool.connect();
  try {
    // One snapshot for every read, so a concurrent import cannot mix old and new rows.
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const catalog = await loadCatalog(client);
    const { customerKey, customerSegment, indexOfId } = await loadCustomers(
      client,
      catalog.segments,
    );
    const offerIndex = new Map(catalog.offers.map((o, i) => [o.dbId, i]));
    const channelIndex = new Map(catalog.channels.map((c, i) => [c.dbId, i]));

    let cap = 1 << 20;
    let n = 0;
    let cust = new Int32Array(cap);
    let offer = new Int32Array(cap);
    let channel = new Int32Array(cap);
    let ret = new Float64Array(cap);
    let cost = new Float64Array(cap);
    const grow = () => {
      cap *= 2;
      cust = resize(cust, cap);
      offer = resize(offer, cap);
      channel = resize(channel, cap);
      ret = resize(ret, cap);
      cost = resize(cost, cap);
    };
    const stream = client.query(
      copyTo(
        `COPY (SELECT customer_id, offer_id, channel_id, expected_return, cost FROM eligible_option)
         TO STDOUT (FORMAT binary)`,
      ),
    );
    await readBinaryCopy(stream, ["int4", "int4", "int4", "float8", "float8"], (row) => {
      if (n === cap) grow();
      const v = row.values;
      cust[n] = indexOfId[v[0]!]!;
      offer[n] = offerIndex.get(v[1]!)!;
      channel[n] = channelIndex.get(v[2]!)!;
      ret[n] = v[3]!;
      cost[n] = v[4]!;
      n++;
    });
    await client.query("COMMIT");

    const instance = toCsr({ customerKey, customerSegment, segments: catalog.segments }, catalog, {
      n,
      cust,
      offer,
      channel,
      ret,
      cost,
    });
    return { instance, catalog, seconds: (performance.now() - started) / 1000 };
  } catch (e) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

async function loadCatalog(client: PoolClient): Promise<Catalog> {
  const offers = await client.query<{
    id: number;
    external_id: string;
    category: string | null;
    min_volume: number;
    max_volume: number | null;
  }>("SELECT id, external_id, category, min_volume, max_volume FROM offer ORDER BY external_id");
  const channels = await client.query<{
    id: number;
    external_id: string;
    cost_per_contact: number;
    capacity: number | null;
  }>("SELECT id, external_id, cost_per_contact, capacity FROM channel ORDER BY external_id");
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
    })),
    channels: channels.rows.map((c) => ({
      dbId: c.id,
      id: c.external_id,
      costPerContact: c.cost_per_contact,
      capacity: c.capacity,
    })),
    segments: segments.rows.map((s) => s.segment),
  };
}

async function loadCustomers(client: PoolClient, segments: string[]) {
  const max = await client.query<{ max: number | null; n: string }>(
    "SELECT max(id) AS max, count(*) AS n FROM customer",
  );
  const count = Number(max.rows[0]!.n);
  const indexOfId = new Int32Array((max.rows[0]!.max ?? 0) + 1).fill(-1);
  const customerKey = new Int32Array(count);
  const customerSegment = new Int32Array(count);
  // Segment index by position in the sorted list, computed in SQL to keep the stream numeric.
  const stream = client.query(
    copyTo(
      `COPY (SELECT c.id, coalesce(array_position($SEGMENTS$::text[], c.segment) - 1, -1)::int4
             FROM customer c ORDER BY c.id) TO STDOUT (FORMAT binary)`.replace(
        "$SEGMENTS$",
        literalArray(segments),
      ),
    ),
  );
  let i = 0;
  await readBinaryCopy(stream, ["int4", "int4"], (row) => {
    const id = row.values[0]!;
    indexOfId[id] = i;
    customerKey[i] = id;
    customerSegment[i] = row.values[1]!;
    i++;
  });
  return { customerKey, customerSegment, indexOfId };
}

function literalArray(values: string[]): string {
  const quoted = values.map((v) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`);
  return `'{${quoted.join(",").replace(/'/g, "''")}}'`;
}

interface RawOptions {
  n: number;
  cust: Int32Array;
  offer: Int32Array;
  channel: Int32Array;
  ret: Float64Array;
  cost: Float64Array;
}

/** Counting sort of options by customer, each customer's options ordered by (offer, channel). */
export function toCsr(
  customers: { customerKey: Int32Array; customerSegment: Int32Array; segments: string[] },
  catalog: Pick<Catalog, "offers" | "channels">,
  raw: RawOptions,
): Instance {
  const numCustomers = customers.customerKey.length;
  const custStart = new Int32Array(numCustomers + 1);
  for (let k = 0; k < raw.n; k++) custStart[raw.cust[k]! + 1]!++;
  for (let i = 0; i < numCustomers; i++) custStart[i + 1]! += custStart[i]!;
  const next = custStart.slice(0, numCustomers);
  const optOffer = new Int32Array(raw.n);
  const optChannel = new Int32Array(raw.n);
  const optReturn = new Float64Array(raw.n);
  const optCost = new Float64Array(raw.n);
  for (let k = 0; k < raw.n; k++) {
    const at = next[raw.cust[k]!]!++;
    optOffer[at] = raw.offer[k]!;
    optChannel[at] = raw.channel[k]!;
    optReturn[at] = raw.ret[k]!;
    optCost[at] = raw.cost[k]!;
  }
  const numChannels = catalog.channels.length;
  for (let i = 0; i < numCustomers; i++) {
    // insertion sort: a customer has a handful of options
    for (let a = custStart[i]! + 1; a < custStart[i + 1]!; a++) {
      const key = optOffer[a]! * numChannels + optChannel[a]!;
      const o = optOffer[a]!,
        c = optChannel[a]!,
        r = optReturn[a]!,
        s = optCost[a]!;
      let b = a - 1;
      while (b >= custStart[i]! && optOffer[b]! * numChannels + optChannel[b]! > key) {
        optOffer[b + 1] = optOffer[b]!;
        optChannel[b + 1] = optChannel[b]!;
        optReturn[b + 1] = optReturn[b]!;
        optCost[b + 1] = optCost[b]!;
        b--;
      }
      optOffer[b + 1] = o;
      optChannel[b + 1] = c;
      optReturn[b + 1] = r;
      optCost[b + 1] = s;
    }
  }
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

function resize<T extends Int32Array | Float64Array>(a: T, cap: number): T {
  const b = new (a.constructor as { new (n: number): T })(cap);
  b.set(a);
  return b;
}
