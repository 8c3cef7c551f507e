// Encoder for PostgreSQL's binary COPY format (COPY … FROM STDIN (FORMAT binary)): the plan
// writer sends millions of numeric rows, and binary skips text formatting and parsing on both ends.
import type { Writable } from "node:stream";

const HEADER = Buffer.concat([Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.alloc(8)]);
const TRAILER = Buffer.from([0xff, 0xff]);

export class BinaryCopyWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(
    private readonly out: Writable,
    private readonly chunkBytes = 1 << 20,
  ) {
    this.buf = Buffer.allocUnsafe(chunkBytes + 4096);
    HEADER.copy(this.buf, 0);
    this.pos = HEADER.length;
  }

  /** Starts a tuple of n fields; flushes first when the chunk is full. */
  async row(n: number): Promise<void> {
    if (this.pos >= this.chunkBytes) await this.flush();
    this.pos = this.buf.writeInt16BE(n, this.pos);
  }

  int4(v: number): void {
    this.pos = this.buf.writeInt32BE(4, this.pos);
    this.pos = this.buf.writeInt32BE(v, this.pos);
  }

  float8(v: number): void {
    this.pos = this.buf.writeInt32BE(8, this.pos);
    this.pos = this.buf.writeDoubleBE(v, this.pos);
  }

  /** Short text (ids, labels); longer values would need a bigger slack than 4 KiB. */
  text(v: string | null): void {
    if (v === null) {
      this.pos = this.buf.writeInt32BE(-1, this.pos);
      return;
    }
    const len = this.buf.write(v, this.pos + 4, "utf8");
    this.buf.writeInt32BE(len, this.pos);
    this.pos += 4 + len;
  }

  private async flush(): Promise<void> {
    const chunk = Buffer.from(this.buf.subarray(0, this.pos));
    this.pos = 0;
    if (!this.out.write(chunk))
      await new Promise<void>((resolve) => this.out.once("drain", resolve));
  }

  /** Writes the trailer and ends the stream; resolves when PostgreSQL has taken every row. */
  async end(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.out.once("error", reject);
      this.out.once("finish", resolve);
      this.out.end(TRAILER);
    });
  }
}
