// Reader for PostgreSQL's binary COPY format (COPY … TO STDOUT (FORMAT binary)): the fastest way
// to move millions of numeric rows out of the database (~3M rows/s measured here, against ~1M for
// text). Only fixed-width int4 / int8 / float8 columns and NULLs are needed by the loaders.
import type { Readable } from "node:stream";

export type BinaryColumnType = "int4" | "int8" | "float8";

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");

/**
 * Streams a binary COPY and calls onRow with a row accessor for each tuple. NULL fields read as
 * NaN (float8) or -1 (integers) — callers choose columns where that is unambiguous.
 */
export async function readBinaryCopy(
  stream: Readable,
  types: BinaryColumnType[],
  onRow: (row: BinaryRow) => void,
): Promise<number> {
  const row = new BinaryRow(types.length);
  let carry: Buffer | null = null;
  let headerDone = false;
  let rows = 0;
  let ended = false;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    let pos = 0;
    if (!headerDone) {
      if (buf.length < 19) {
        carry = buf;
        continue;
      }
      if (!buf.subarray(0, 11).equals(SIGNATURE)) throw new Error("not a binary COPY stream");
      pos = 19 + buf.readInt32BE(15);
      headerDone = true;
    }
    for (;;) {
      if (pos + 2 > buf.length) break;
      const fields = buf.readInt16BE(pos);
      if (fields === -1) {
        ended = true;
        pos += 2;
        break;
      }
      if (fields !== types.length)
        throw new Error(`binary COPY: expected ${types.length} fields, got ${fields}`);
      // Walk the tuple first: it may straddle chunks.
      let p = pos + 2;
      let complete = true;
      for (let f = 0; f < fields; f++) {
        if (p + 4 > buf.length) {
          complete = false;
          break;
        }
        const len = buf.readInt32BE(p);
        p += 4;
        if (len > 0) p += len;
        if (p > buf.length) {
          complete = false;
          break;
        }
      }
      if (!complete) break;
      p = pos + 2;
      for (let f = 0; f < fields; f++) {
        const len = buf.readInt32BE(p);
        p += 4;
        const t = types[f]!;
        if (len < 0) row.values[f] = t === "float8" ? NaN : -1;
        else if (t === "int4") row.values[f] = buf.readInt32BE(p);
        else if (t === "float8") row.values[f] = buf.readDoubleBE(p);
        else row.values[f] = Number(buf.readBigInt64BE(p));
        if (len > 0) p += len;
      }
      pos = p;
      rows++;
      onRow(row);
    }
    carry = pos < buf.length ? buf.subarray(pos) : null;
    if (ended) break;
  }
  if (!ended) throw new Error("binary COPY stream ended early");
  return rows;
}

export class BinaryRow {
  readonly values: Float64Array;
  constructor(n: number) {
    this.values = new Float64Array(n);
  }
}
