// An append-only byte buffer for the bulk CSV files. Numbers are written digit by digit and ids are
// pre-encoded, so writing 18M score rows creates almost no garbage: building the same text with
// string concatenation spent over half its time in the garbage collector.

/** each chunk is handed to the stream whole, so a fresh one is started after every hand-over */
const CHUNK_BYTES = 1 << 20;
/** the longest text one customer can add (40 score rows of < 100 bytes) fits well within this */
const HEADROOM_BYTES = 64 * 1024;

export function encodeAscii(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 127) throw new RangeError(`not ASCII: ${JSON.stringify(s)}`);
    out[i] = c;
  }
  return out;
}

export class AsciiChunks {
  private buf: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private pos = 0;
  private readonly full: Buffer[] = [];

  /** Call between records: moves a nearly full buffer aside, never splitting a record. */
  endRecord(): void {
    if (this.pos > CHUNK_BYTES - HEADROOM_BYTES) {
      this.full.push(this.buf.subarray(0, this.pos));
      this.buf = Buffer.allocUnsafe(CHUNK_BYTES);
      this.pos = 0;
    }
  }

  /** everything written so far, as buffers the caller now owns */
  take(): Buffer[] {
    const out = this.full.splice(0);
    if (this.pos > 0) {
      out.push(this.buf.subarray(0, this.pos));
      this.buf = Buffer.allocUnsafe(CHUNK_BYTES);
      this.pos = 0;
    }
    return out;
  }

  byte(b: number): void {
    this.buf[this.pos++] = b;
  }

  bytes(a: Uint8Array): void {
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < a.length; i++) buf[pos++] = a[i];
    this.pos = pos;
  }

  /** ASCII only (generated ids and labels) */
  ascii(s: string): void {
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
    this.pos = pos;
  }

  /** a non-negative integer below 2^53 in decimal */
  uint(n: number): void {
    let len = 1;
    for (let t = n; t >= 10; t = Math.floor(t / 10)) len++;
    this.digits(n, len);
  }

  /**
   * units / 10^decimals as a plain decimal without trailing zeros (the same text as
   * decimal.ts's fixedFormatter); units a non-negative integer.
   */
  fixed(units: number, decimals: number, scale: number): void {
    const whole = Math.floor(units / scale);
    let frac = units - whole * scale;
    this.uint(whole);
    if (frac === 0) return;
    let width = decimals;
    while (frac % 10 === 0) {
      frac /= 10;
      width--;
    }
    this.buf[this.pos++] = 46; // "."
    this.digits(frac, width);
  }

  /** n in exactly `len` digits, zero-padded on the left */
  private digits(n: number, len: number): void {
    const buf = this.buf;
    const end = this.pos + len;
    for (let i = end - 1; i >= this.pos; i--) {
      const q = Math.floor(n / 10);
      buf[i] = 48 + (n - q * 10);
      n = q;
    }
    this.pos = end;
  }
}
