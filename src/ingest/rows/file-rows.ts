// The records of one file, routed: the first is the header (which picks the validator), every
// other goes to the validator when its field count matches the header. No database here: the
// caller decides what happens to the COPY text after each chunk.
import type { CopyOut } from "../copy-out";
import type { CsvRecord, CsvSink } from "../csv-reader";
import type { ProblemLog } from "../errors";
import { readHeader } from "../header";
import type { EncoderContext, FileKind, RowEncoder } from "./row-encoder";

export class FileRows implements CsvSink {
  stopped = false;
  encoder: RowEncoder | null = null;
  /** whether the file had a first record (the header) at all */
  headerRead = false;
  private width = 0;

  constructor(
    private readonly file: string,
    private readonly kind: FileKind,
    private readonly problems: ProblemLog,
    private readonly out: CopyOut,
    private readonly context: EncoderContext,
    private readonly afterChunk: (rows: number) => Promise<void> | void,
  ) {}

  /** data rows read so far */
  get rows(): number {
    return this.encoder?.rows ?? 0;
  }

  record(rec: CsvRecord): void {
    // the rest of a chunk still arrives after a bad header stopped the reading
    if (this.stopped) return;
    const encoder = this.encoder;
    if (encoder === null) {
      this.headerRead = true;
      const layout = readHeader(rec.texts(), this.kind.columns, this.file, rec.line, this.problems);
      if (layout === null) {
        // without a usable header no row can be read
        this.stopped = true;
        return;
      }
      this.width = layout.width;
      this.encoder = this.kind.encoder(layout, this.problems, this.out, this.context);
      return;
    }
    encoder.rows++;
    if (rec.count !== this.width) {
      this.problems.add(
        this.file,
        rec.line,
        null,
        `expected ${this.width} fields as in the header, found ${rec.count}`,
      );
      return;
    }
    encoder.encode(rec);
  }

  invalid(line: number, message: string): void {
    if (this.stopped) return;
    if (this.encoder === null) {
      this.headerRead = true;
      this.problems.add(this.file, line, null, `header row: ${message}`);
      this.stopped = true;
      return;
    }
    this.encoder.rows++;
    this.problems.add(this.file, line, null, message);
  }

  chunkDone(): Promise<void> | void {
    return this.afterChunk(this.rows);
  }

  /** to call once the whole file is read */
  finish(): void {
    if (!this.headerRead)
      this.problems.add(this.file, 1, null, "the file is empty: a header row is required");
  }
}
