// Streaming RFC 4180 reader that reports each record with its physical line number.
//
// Why not csv-parse for every byte: its streaming parser measured ~300–380k rows per CPU-second
// here on scores.csv (a state machine call per byte), which alone would use most of the 40 s
// budget of a 1M-customer import. Records without a quote character need no state machine: they
// are split on commas by the byte loop below. Every record that contains a quote (quoted fields,
// embedded commas or line breaks, doubled quotes, and malformed quoting) is handed whole to
// csv-parse, so the quoting grammar and its error messages are csv-parse's. Line numbers are
// counted here, over raw bytes, so they stay physical after multi-line quoted fields.
import { isUtf8 } from "node:buffer";
import { createReadStream } from "node:fs";
import { parse as parseRecord } from "csv-parse/sync";

/**
 * One record, as byte ranges of a buffer: no string is made unless a caller asks for one (the
 * score file has tens of millions of cells). Reused for the next record: copy what you keep.
 */
export class CsvRecord {
  buf: Buffer = Buffer.alloc(0);
  /** number of fields */
  count = 0;
  /** physical line of the record's first byte, 1 = first line of the file */
  line = 0;
  /** no field contains a backslash, tab, CR or LF: nothing to escape for COPY text */
  plain = true;
  starts = new Int32Array(32);
  ends = new Int32Array(32);

  text(i: number): string {
    return this.buf.toString("utf8", this.starts[i]!, this.ends[i]!);
  }

  texts(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.text(i));
    return out;
  }

  /** appends a field; grows the offset arrays when needed */
  add(start: number, end: number): void {
    if (this.count === this.starts.length) {
      const starts = new Int32Array(this.count * 2);
      const ends = new Int32Array(this.count * 2);
      starts.set(this.starts);
      ends.set(this.ends);
      this.starts = starts;
      this.ends = ends;
    }
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.count++;
  }
}

export interface CsvSink {
  /** One record (reused after the call returns). */
  record(record: CsvRecord): void;
  /** A record that could not be read (bad quoting, bare CR, NUL byte, invalid UTF-8). */
  invalid(line: number, message: string): void;
  /** Called after each input chunk: flush output, wait for backpressure, report progress. */
  chunkDone(): Promise<void> | void;
  /** set to stop reading early (e.g. the header is unusable) */
  readonly stopped: boolean;
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;

// Byte classes for the unquoted fast path: 0 = ordinary.
const K_COMMA = 1;
const K_LF = 2;
const K_CR = 3;
const K_QUOTE = 4;
const K_ESCAPE = 5; // backslash or tab: legal, but must be escaped in COPY text
const K_NUL = 6;
const CLASS = new Uint8Array(256);
CLASS[COMMA] = K_COMMA;
CLASS[LF] = K_LF;
CLASS[CR] = K_CR;
CLASS[QUOTE] = K_QUOTE;
CLASS[0x5c] = K_ESCAPE;
CLASS[0x09] = K_ESCAPE;
CLASS[0x00] = K_NUL;

const BARE_CR = "bare carriage return (CR) outside quotes: line breaks must be LF or CRLF";
const NUL_BYTE = "contains a NUL byte";
const NOT_UTF8 = "not valid UTF-8";

/** Where the scan of a quoted record stopped when its chunk ran out. */
interface QuotedScan {
  /** offset from the record's first byte */
  offset: number;
  inQuotes: boolean;
  fieldStart: boolean;
  lineBreaks: number;
  bad: string | null;
}

/** Push-style reader: feed it chunks, then end(); it calls the sink for every record. */
export class CsvRecordReader {
  private carry: Buffer | null = null;
  private line = 1;
  private bomChecked = false;
  private quoted: QuotedScan | null = null;
  private readonly rec = new CsvRecord();
  records = 0;

  constructor(private readonly sink: CsvSink) {}

  push(chunk: Buffer): void {
    this.feed(chunk, false);
  }

  end(): void {
    this.feed(null, true);
  }

  private feed(chunk: Buffer | null, last: boolean): void {
    let buf: Buffer;
    if (this.carry === null) buf = chunk ?? Buffer.alloc(0);
    else buf = chunk === null ? this.carry : Buffer.concat([this.carry, chunk]);
    this.carry = null;
    if (!this.bomChecked) {
      if (buf.length < 3 && !last) {
        this.carry = buf;
        return;
      }
      this.bomChecked = true;
      if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
        buf = buf.subarray(3);
    }
    const used = this.consume(buf, last);
    if (used < buf.length) this.carry = buf.subarray(used);
  }

  /** Emits every complete record of buf; returns how many bytes it used. */
  private consume(buf: Buffer, last: boolean): number {
    const len = buf.length;
    // LF never occurs inside a multi-byte UTF-8 sequence, so the complete lines can be checked
    // in one call; only when that fails is each record checked on its own.
    const checkedTo = last ? len : buf.lastIndexOf(LF) + 1;
    const utf8 = checkedTo <= 0 || isUtf8(buf.subarray(0, checkedTo));
    const rec = this.rec;
    rec.buf = buf;
    let pos = 0;
    while (pos < len) {
      if (this.quoted !== null) {
        const next = this.consumeQuoted(buf, pos, last, utf8);
        if (next < 0) return pos;
        rec.buf = buf;
        pos = next;
        continue;
      }
      rec.count = 0;
      let start = pos;
      let i = pos;
      let plain = true;
      let bad: string | null = null;
      let end: number;
      let next: number;
      for (;;) {
        if (i >= len) {
          if (!last) return pos;
          end = len;
          next = len;
          break;
        }
        const k = CLASS[buf[i]!]!;
        if (k === 0) {
          i++;
        } else if (k === K_COMMA) {
          rec.add(start, i);
          start = ++i;
        } else if (k === K_LF) {
          end = i;
          next = i + 1;
          break;
        } else if (k === K_CR) {
          if (i + 1 >= len && !last) return pos;
          // CRLF, or a final CR at the end of the file
          if (i + 1 >= len || buf[i + 1] === LF) {
            end = i;
            next = Math.min(i + 2, len);
            break;
          }
          bad ??= BARE_CR;
          i++;
        } else if (k === K_QUOTE) {
          end = -1;
          next = -1;
          break;
        } else if (k === K_ESCAPE) {
          plain = false;
          i++;
        } else {
          bad ??= NUL_BYTE;
          i++;
        }
      }
      if (end < 0) {
        this.quoted = { offset: 0, inQuotes: false, fieldStart: true, lineBreaks: 0, bad: null };
        continue;
      }
      if (end === pos && rec.count === 0) {
        // an empty line: skipped, but it still counts as a physical line
        this.line++;
        pos = next;
        continue;
      }
      rec.add(start, end);
      if (bad === null && !utf8 && !isUtf8(buf.subarray(pos, end))) bad = NOT_UTF8;
      rec.plain = plain;
      this.emit(bad);
      this.line++;
      pos = next;
    }
    return pos;
  }

  /**
   * Finds the end of a record that contains a quote (a line break outside quotes), then lets
   * csv-parse split it. Returns the position after the record, or -1 when more data is needed.
   */
  private consumeQuoted(buf: Buffer, pos: number, last: boolean, utf8: boolean): number {
    const q = this.quoted!;
    const len = buf.length;
    let i = pos + q.offset;
    let { inQuotes, fieldStart, lineBreaks, bad } = q;
    let end = -1;
    let next = -1;
    let needMore = false;
    for (;;) {
      if (i >= len) {
        if (!last) needMore = true;
        else end = next = len;
        break;
      }
      const c = buf[i]!;
      if (inQuotes) {
        if (c === QUOTE) {
          if (i + 1 >= len && !last) {
            needMore = true; // a doubled quote may straddle the chunks
            break;
          }
          if (buf[i + 1] === QUOTE) i += 2;
          else {
            inQuotes = false;
            i++;
          }
          continue;
        }
        if (c === LF) lineBreaks++;
        else if (c === 0) bad ??= NUL_BYTE;
        i++;
        continue;
      }
      if (c === QUOTE && fieldStart) {
        inQuotes = true;
        fieldStart = false;
        i++;
        continue;
      }
      if (c === COMMA) {
        fieldStart = true;
        i++;
        continue;
      }
      if (c === LF) {
        end = i;
        next = i + 1;
        break;
      }
      if (c === CR) {
        if (i + 1 >= len && !last) {
          needMore = true;
          break;
        }
        if (i + 1 >= len || buf[i + 1] === LF) {
          end = i;
          next = Math.min(i + 2, len);
          break;
        }
        bad ??= BARE_CR;
      } else if (c === 0) bad ??= NUL_BYTE;
      fieldStart = false;
      i++;
    }
    if (needMore) {
      this.quoted = { offset: i - pos, inQuotes, fieldStart, lineBreaks, bad };
      return -1;
    }
    this.quoted = null;
    const raw = buf.subarray(pos, end);
    if (bad === null && !utf8 && !isUtf8(raw)) bad = NOT_UTF8;
    if (bad !== null) this.emit(bad);
    else {
      let parsed: string[][] | null = null;
      try {
        parsed = parseRecord(raw, { relax_column_count: true, skip_empty_lines: false });
      } catch (e) {
        this.emit(quotingMessage(e));
      }
      if (parsed !== null) {
        if (parsed.length !== 1) this.emit("could not split this record");
        else {
          this.setFields(parsed[0]!);
          this.emit(null);
        }
      }
    }
    this.line += 1 + lineBreaks;
    return next;
  }

  /** makes the record hold csv-parse's unquoted fields, as bytes of a buffer of their own */
  private setFields(fields: string[]): void {
    const rec = this.rec;
    const buf = Buffer.from(fields.join(""), "utf8");
    rec.buf = buf;
    rec.count = 0;
    let at = 0;
    let plain = true;
    for (const f of fields) {
      const n = Buffer.byteLength(f, "utf8");
      rec.add(at, at + n);
      at += n;
    }
    for (let i = 0; i < buf.length && plain; i++) {
      const c = buf[i]!;
      if (c === 0x5c || c === 0x09 || c === LF || c === CR) plain = false;
    }
    rec.plain = plain;
  }

  private emit(bad: string | null): void {
    this.records++;
    if (bad === null) {
      this.rec.line = this.line;
      this.sink.record(this.rec);
    } else this.sink.invalid(this.line, bad);
  }
}

/** csv-parse's reasons, said in terms of the file rather than the parser. */
function quotingMessage(e: unknown): string {
  // by its code: csv-parse/sync bundles a CsvError class of its own, so instanceof would fail
  const code = typeof e === "object" && e !== null ? (e as { code?: unknown }).code : undefined;
  if (typeof code === "string") {
    switch (code) {
      case "INVALID_OPENING_QUOTE":
        return "invalid quoting: a quote inside an unquoted field (quote the whole field and double inner quotes)";
      case "CSV_INVALID_CLOSING_QUOTE":
        return "invalid quoting: a closing quote must be followed by a comma or the end of the line";
      case "CSV_QUOTE_NOT_CLOSED":
        return "invalid quoting: a quoted field is not closed before the end of the file";
      default:
        break;
    }
  }
  return `invalid CSV: ${e instanceof Error ? e.message : String(e)}`;
}

/** Reads a file through the sink; resolves when all of it (or up to sink.stopped) is read. */
/** Reads path into sink; onChunk (if given) sees every byte of the file, in order. */
export async function readCsvFile(
  path: string,
  sink: CsvSink,
  onChunk?: (chunk: Buffer) => void,
  chunkBytes = 1 << 20,
): Promise<void> {
  const reader = new CsvRecordReader(sink);
  const stream = createReadStream(path, { highWaterMark: chunkBytes });
  try {
    for await (const chunk of stream) {
      onChunk?.(chunk as Buffer);
      reader.push(chunk as Buffer);
      await sink.chunkDone();
      if (sink.stopped) return;
    }
    reader.end();
    await sink.chunkDone();
  } finally {
    stream.destroy();
  }
}
