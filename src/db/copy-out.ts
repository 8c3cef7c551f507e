// Binary COPY … TO STDOUT read straight off the connection's socket. pg-copy-streams cuts every
// row's CopyData message into its own buffer slice and re-joins them per chunk, which measured
// 0.25 µs a row here (1.9 s of Node CPU for 7.8M score rows, as long as PostgreSQL took to send
// them); decoding the tuples in place in the socket's chunks costs a fraction of that, so the
// loader keeps pace with the server.
import type { Connection, PoolClient, Submittable } from "pg";

export type CopyColumn = "int4" | "float8";

/**
 * Runs `sql` (a `COPY … TO STDOUT (FORMAT binary)` of int4 / float8 columns) on client and calls
 * onRow with each tuple's values. NULL reads as NaN (float8) or -1 (int4): callers choose
 * columns where that is unambiguous. The values array is reused from row to row. Resolves with
 * the number of rows; an error thrown by onRow rejects after the COPY has been drained, so the
 * connection stays usable.
 */
export function copyOutBinary(
  client: PoolClient,
  sql: string,
  types: CopyColumn[],
  onRow: (values: Float64Array) => void,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    client.query(new BinaryCopyOut(sql, new TupleDecoder(types, onRow), resolve, reject));
  });
}

type DataHandler = (chunk: Buffer) => void;

const COPY_DATA = 0x64; // 'd'
const COPY_DONE = 0x63; // 'c'
const ERROR_RESPONSE = 0x45; // 'E'
// May arrive before or during the copy; none concerns its data.
const HARMLESS = new Set([
  0x48, // 'H' CopyOutResponse
  0x4e, // 'N' NoticeResponse
  0x53, // 'S' ParameterStatus
  0x41, // 'A' NotificationResponse
]);

const view = (b: Buffer) => new DataView(b.buffer, b.byteOffset, b.byteLength);

/**
 * (Exported for tests.) A pg Submittable that, like pg-copy-streams, takes the socket's data events from pg's protocol
 * parser for the duration of the copy and gives them back (with the unread rest) at CopyDone or
 * at an ErrorResponse, so that pg itself handles CommandComplete, errors and ReadyForQuery.
 */
export class BinaryCopyOut implements Submittable {
  private connection: Connection | null = null;
  private pgHandler: DataHandler | null = null;
  /** an incomplete protocol message from the end of the previous chunk */
  private pending: Buffer | null = null;
  private failure: unknown = null;
  private settled = false;
  private readonly onData: DataHandler = (chunk) => this.receive(chunk);

  constructor(
    private readonly sql: string,
    private readonly decoder: TupleDecoder,
    private readonly resolve: (rows: number) => void,
    private readonly reject: (e: unknown) => void,
  ) {}

  submit(connection: Connection): void {
    const stream = connection.stream;
    const listeners = stream.listeners("data") as DataHandler[];
    if (listeners.length !== 1) throw new Error("copyOutBinary: unexpected socket listeners");
    this.connection = connection;
    this.pgHandler = listeners[0]!;
    stream.removeListener("data", this.pgHandler);
    stream.on("data", this.onData);
    (connection as unknown as { query(text: string): void }).query(this.sql);
  }

  private receive(chunk: Buffer): void {
    let pos = 0;
    if (this.pending) {
      // Complete the straddling message with just the bytes it still needs.
      const have = this.pending;
      const head =
        have.length >= 5 ? have : Buffer.concat([have, chunk.subarray(0, 5 - have.length)]);
      if (head.length < 5) {
        this.pending = head;
        return;
      }
      const need = 1 + head.readInt32BE(1) - have.length;
      if (need > chunk.length) {
        this.pending = Buffer.concat([have, chunk]);
        return;
      }
      const message = Buffer.concat([have, chunk.subarray(0, need)]);
      this.pending = null;
      const at = this.messages(message, view(message), 0);
      if (at < 0) {
        this.detach(Buffer.concat([message.subarray(-at - 1), chunk.subarray(need)]));
        return;
      }
      pos = need;
    }
    const at = this.messages(chunk, view(chunk), pos);
    if (at < 0) this.detach(chunk.subarray(-at - 1));
    else if (at < chunk.length) this.pending = Buffer.from(chunk.subarray(at));
  }

  /**
   * Handles the complete messages of buf from pos on. Returns where the first incomplete message
   * starts, or −(position + 1) of the bytes pg must read when the copy is over.
   */
  private messages(buf: Buffer, dv: DataView, pos: number): number {
    const length = buf.length;
    while (pos + 5 <= length) {
      const code = buf[pos]!;
      const end = pos + 1 + dv.getInt32(pos + 1);
      if (code === ERROR_RESPONSE) return -pos - 1;
      if (end > length) break;
      if (code === COPY_DATA) {
        if (this.failure === null) {
          try {
            this.decoder.feed(dv, pos + 5, end);
          } catch (e) {
            // keep draining: the connection must reach ReadyForQuery to be reused
            this.failure = e;
          }
        }
      } else if (code === COPY_DONE) {
        if (this.failure === null && !this.decoder.ended)
          this.failure = new Error("binary COPY stream ended early");
        return -end - 1;
      } else if (!HARMLESS.has(code)) {
        this.failure ??= new Error(
          `copyOutBinary: unexpected message ${String.fromCharCode(code)}`,
        );
        return -pos - 1;
      }
      pos = end;
    }
    return pos;
  }

  private detach(rest: Buffer): void {
    const stream = this.connection!.stream;
    stream.removeListener("data", this.onData);
    stream.on("data", this.pgHandler!);
    if (rest.length > 0) this.pgHandler!(rest);
  }

  handleError(e: unknown): void {
    this.settle(e);
  }

  handleCommandComplete(): void {}

  // Only reached when the statement was not a COPY TO (the failure is already recorded); pg
  // calls these on its active query.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}

  handleReadyForQuery(): void {
    this.settle(this.failure);
  }

  private settle(e: unknown): void {
    if (this.settled) return;
    this.settled = true;
    if (e !== null && e !== undefined) this.reject(e);
    else this.resolve(this.decoder.rows);
  }
}

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");

/**
 * Decodes binary COPY tuples from the payloads of CopyData messages, in order. PostgreSQL sends
 * one tuple per message (the file header rides with the first); a tuple split across messages is
 * still handled, through a small carry buffer.
 */
export class TupleDecoder {
  rows = 0;
  ended = false;
  private headerDone = false;
  private carry: Buffer | null = null;
  private readonly values: Float64Array;
  /** bytes of each field's value: 4 (int4) or 8 (float8) */
  private readonly width: Int32Array;

  constructor(
    types: CopyColumn[],
    private readonly onRow: (values: Float64Array) => void,
  ) {
    this.values = new Float64Array(types.length);
    this.width = Int32Array.from(types, (t) => (t === "float8" ? 8 : 4));
  }

  /** The payload bytes [start, end) of the data view. */
  feed(data: DataView, start: number, end: number): void {
    let dv = data;
    let pos = start;
    if (this.carry) {
      const joined = Buffer.concat([
        this.carry,
        new Uint8Array(data.buffer, data.byteOffset + start, end - start),
      ]);
      this.carry = null;
      dv = view(joined);
      pos = 0;
      end = joined.length;
    }
    if (!this.headerDone) {
      if (end - pos < 19 || pos + 19 + dv.getInt32(pos + 15) > end) {
        this.keep(dv, pos, end);
        return;
      }
      const sig = new Uint8Array(dv.buffer, dv.byteOffset + pos, 11);
      if (!SIGNATURE.equals(sig)) throw new Error("not a binary COPY stream");
      pos += 19 + dv.getInt32(pos + 15);
      this.headerDone = true;
    }
    const n = this.width.length;
    const width = this.width;
    const values = this.values;
    tuples: while (pos + 2 <= end) {
      if (this.ended) throw new Error("binary COPY: data after the trailer");
      const fields = dv.getInt16(pos);
      if (fields === -1) {
        this.ended = true;
        pos += 2;
        continue;
      }
      if (fields !== n) throw new Error(`binary COPY: expected ${n} fields, got ${fields}`);
      let p = pos + 2;
      for (let f = 0; f < n; f++) {
        if (p + 4 > end) break tuples;
        const len = dv.getInt32(p);
        p += 4;
        const w = width[f]!;
        if (len < 0) values[f] = w === 8 ? NaN : -1;
        else {
          if (len !== w) throw new Error(`binary COPY: field ${f} has ${len} bytes, expected ${w}`);
          if (p + w > end) break tuples;
          values[f] = w === 8 ? dv.getFloat64(p) : dv.getInt32(p);
          p += w;
        }
      }
      pos = p;
      this.rows++;
      this.onRow(values);
    }
    if (pos < end) this.keep(dv, pos, end);
  }

  private keep(dv: DataView, from: number, end: number): void {
    this.carry = Buffer.from(new Uint8Array(dv.buffer, dv.byteOffset + from, end - from));
  }
}
