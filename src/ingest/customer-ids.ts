// Database ids of every stored customer, looked up straight from the bytes of a score row, so that
// score rows can be written into `score` as they are read, without a staging table and a join
// over millions of rows. One binary COPY brings (id, external_id) over; the keys stay in the
// buffers it arrived in, indexed by an open-addressing hash table of typed arrays: no string and
// no object per customer.
import type { PoolClient } from "pg";
import { to as copyTo } from "pg-copy-streams";
import { UNKNOWN_ID } from "./catalog-ids";

// binary COPY: 11-byte signature, int32 flags, int32 header-extension length
const HEADER_BYTES = 19;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export class CustomerIds {
  private readonly table: Int32Array;
  private readonly mask: number;
  /** keys given more than once (the first one's id is kept) */
  readonly duplicates: number = 0;

  constructor(
    private readonly buf: Buffer,
    private readonly starts: Int32Array,
    private readonly ends: Int32Array,
    private readonly ids: Int32Array,
    readonly size: number,
  ) {
    // at most half full: probes stay short
    let capacity = 16;
    while (capacity < 2 * size) capacity *= 2;
    this.table = new Int32Array(capacity);
    this.mask = capacity - 1;
    let duplicates = 0;
    for (let k = 0; k < size; k++) {
      const s = starts[k]!;
      const e = ends[k]!;
      if (this.get(buf, s, e) !== UNKNOWN_ID) {
        duplicates++;
        continue;
      }
      let slot = hashBytes(buf, s, e) & this.mask;
      while (this.table[slot] !== 0) slot = (slot + 1) & this.mask;
      this.table[slot] = k + 1;
    }
    this.duplicates = duplicates;
  }

  /** the id of the customer whose external id is src[s, e), or UNKNOWN_ID */
  get(src: Buffer, s: number, e: number): number {
    const n = e - s;
    let slot = hashBytes(src, s, e) & this.mask;
    for (;;) {
      const entry = this.table[slot]!;
      if (entry === 0) return UNKNOWN_ID;
      const k = entry - 1;
      const ks = this.starts[k]!;
      if (this.ends[k]! - ks === n && sameBytes(this.buf, ks, src, s, n)) return this.ids[k]!;
      slot = (slot + 1) & this.mask;
    }
  }
}

function hashBytes(buf: Buffer, s: number, e: number): number {
  let h = FNV_OFFSET;
  for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i]!, FNV_PRIME);
  return h >>> 0;
}

function sameBytes(a: Buffer, as: number, b: Buffer, bs: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[as + i] !== b[bs + i]) return false;
  return true;
}

/**
 * Collects external ids (copied out of the CSV buffers, which are reused) with ids numbered from
 * a first id, in the order they are added.
 */
export class CustomerIdsBuilder {
  private keys = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  private starts: Int32Array = new Int32Array(1 << 16);
  private ends: Int32Array = new Int32Array(1 << 16);
  private count = 0;

  constructor(private readonly firstId: number) {}

  /** adds src[s, e) and returns its id */
  add(src: Buffer, s: number, e: number): number {
    const n = e - s;
    if (this.used + n > this.keys.length) {
      const grown = Buffer.allocUnsafe(Math.max(2 * this.keys.length, this.used + n));
      this.keys.copy(grown, 0, 0, this.used);
      this.keys = grown;
    }
    if (this.count === this.starts.length) {
      this.starts = grow(this.starts);
      this.ends = grow(this.ends);
    }
    src.copy(this.keys, this.used, s, e);
    this.starts[this.count] = this.used;
    this.used += n;
    this.ends[this.count] = this.used;
    return this.firstId + this.count++;
  }

  /** ids added so far */
  get size(): number {
    return this.count;
  }

  build(): CustomerIds {
    const ids = new Int32Array(this.count);
    for (let k = 0; k < this.count; k++) ids[k] = this.firstId + k;
    return new CustomerIds(this.keys, this.starts, this.ends, ids, this.count);
  }
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(2 * a.length);
  b.set(a);
  return b;
}

/** Every stored customer's id by external id (one binary COPY). */
export async function loadCustomerIds(client: PoolClient): Promise<CustomerIds> {
  const stream = client.query(
    copyTo("COPY (SELECT id, external_id FROM customer) TO STDOUT (FORMAT binary)"),
  );
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return parseIdRows(Buffer.concat(chunks));
}

/** (Exported for tests.) Tuples (int4 id, text external_id) of a binary COPY. */
export function parseIdRows(buf: Buffer): CustomerIds {
  // a tuple takes at least 2 + 4 + 4 + 4 bytes (empty ids are never stored)
  const most = Math.max(0, Math.floor((buf.length - HEADER_BYTES) / 14));
  const starts = new Int32Array(most);
  const ends = new Int32Array(most);
  const ids = new Int32Array(most);
  let p = HEADER_BYTES + buf.readInt32BE(15);
  let n = 0;
  for (;;) {
    const fields = buf.readInt16BE(p);
    p += 2;
    if (fields === -1) break;
    if (fields !== 2) throw new Error(`customer ids: expected 2 fields, got ${fields}`);
    p += 4; // int4 length
    ids[n] = buf.readInt32BE(p);
    p += 4;
    const len = buf.readInt32BE(p);
    p += 4;
    starts[n] = p;
    ends[n] = p + len;
    p += len;
    n++;
  }
  return new CustomerIds(buf, starts, ends, ids, n);
}
