// Shared machinery of the per-file row validators: each turns one CSV record into one row of
// COPY text for its staging table, or logs why it cannot. Cells are validated first and written
// after, as bytes, so a bad row never leaves half a row behind.
//
// A row with problems is still staged with its ids (other values NULL) when it has them, so the
// set-based checks do not report follow-on errors such as "unknown customer" for a customer whose
// row had a bad cell; nothing is merged once any problem was found.
import {
  MAX_INT4,
  notANumber,
  parseDecimal,
  parseInteger,
  quoteCell,
  trimRange,
  type Range,
} from "../cells";
import type { CatalogIds } from "../catalog-ids";
import type { CustomerIds, CustomerIdsBuilder } from "../customer-ids";
import type { CopyOut } from "../copy-out";
import type { CsvRecord } from "../csv-reader";
import type { ProblemLog } from "../errors";
import type { ColumnSpec, HeaderLayout } from "../header";

/** Range a number must fall in. */
export type NumberRange = "any" | "non-negative" | "positive" | "probability";

export function range(): Range {
  return { start: 0, end: 0 };
}

export abstract class RowEncoder {
  /** data rows seen (valid or not) */
  rows = 0;
  /** whether the row being encoded is free of problems so far */
  protected ok = true;
  /** the value of the last number read by decimal() / integer() */
  protected num = 0;
  private readonly extraIndexes: number[];
  private readonly extraKeys: Buffer[];

  constructor(
    readonly file: string,
    protected readonly layout: HeaderLayout,
    protected readonly problems: ProblemLog,
    protected readonly out: CopyOut,
  ) {
    this.extraIndexes = layout.extras.map((e) => e.index);
    this.extraKeys = layout.extras.map((e) => Buffer.from(JSON.stringify(e.name), "utf8"));
  }

  /** one data record whose field count matches the header */
  abstract encode(rec: CsvRecord): void;

  /** staged rows for a follow-up table (offer channel lists), copied after the main COPY */
  secondary(): CopyOut | null {
    return null;
  }

  protected fail(line: number, column: string | null, message: string): void {
    this.ok = false;
    this.problems.add(this.file, line, column, message);
  }

  protected col(name: string): number {
    return this.layout.indexOf(name);
  }

  /** trimmed cell of an optional column into r (empty when the column is absent) */
  protected trimmed(rec: CsvRecord, index: number, r: Range): void {
    if (index < 0) r.start = r.end = 0;
    else trimRange(rec.buf, rec.starts[index]!, rec.ends[index]!, r);
  }

  /** the cell as it is (display names), empty when the column is absent */
  protected verbatim(rec: CsvRecord, index: number, r: Range): void {
    if (index < 0) r.start = r.end = 0;
    else {
      r.start = rec.starts[index]!;
      r.end = rec.ends[index]!;
    }
  }

  /** a trimmed id into r; false (after logging) when the cell is empty */
  protected id(rec: CsvRecord, index: number, column: string, r: Range): boolean {
    this.trimmed(rec, index, r);
    if (r.start < r.end) return true;
    this.fail(rec.line, column, "required value missing");
    return false;
  }

  /**
   * A decimal number: its trimmed text into r (PostgreSQL reads that text to the same double);
   * returns whether a value was given. Sets this.num. Logs what is wrong with it.
   */
  protected decimal(
    rec: CsvRecord,
    index: number,
    column: string,
    required: boolean,
    bounds: NumberRange,
    r: Range,
  ): boolean {
    this.trimmed(rec, index, r);
    if (r.start === r.end) {
      if (required) this.fail(rec.line, column, "required value missing");
      return false;
    }
    const v = parseDecimal(rec.buf, r.start, r.end);
    this.num = v;
    if (v !== v) this.fail(rec.line, column, notANumber(this.cell(rec, r)));
    else if (bounds === "non-negative" ? v < 0 : bounds === "positive" ? !(v > 0) : false)
      this.fail(
        rec.line,
        column,
        `must be ${bounds === "positive" ? ">" : ">="} 0, got ${this.cell(rec, r)}`,
      );
    else if (bounds === "probability" && !(v >= 0 && v <= 1))
      this.fail(rec.line, column, `must be between 0 and 1, got ${this.cell(rec, r)}`);
    return true;
  }

  /** an optional whole number >= 0 into r; returns whether given. Sets this.num. */
  protected integer(rec: CsvRecord, index: number, column: string, r: Range): boolean {
    this.trimmed(rec, index, r);
    if (r.start === r.end) return false;
    const v = parseInteger(rec.buf, r.start, r.end);
    this.num = v;
    if (v !== v)
      this.fail(
        rec.line,
        column,
        `must be a whole number >= 0, got ${quoteCell(this.cell(rec, r))}`,
      );
    else if (v < 0) this.fail(rec.line, column, `must be >= 0, got ${this.cell(rec, r)}`);
    else if (v > MAX_INT4)
      this.fail(rec.line, column, `must be at most ${MAX_INT4}, got ${this.cell(rec, r)}`);
    return true;
  }

  protected cell(rec: CsvRecord, r: Range): string {
    return rec.buf.toString("utf8", r.start, r.end);
  }

  /** a range's text, NULL when empty */
  protected text(rec: CsvRecord, r: Range): void {
    this.out.textOrNull(rec.buf, r.start, r.end, rec.plain);
  }

  /** the extra columns as a JSON object of strings, NULL when none is given */
  protected attributes(rec: CsvRecord): void {
    if (this.extraIndexes.length === 0) this.out.nul();
    else this.out.jsonObject(rec, this.extraIndexes, this.extraKeys);
  }

  /** attributes() as a binary COPY jsonb field */
  protected binaryAttributes(rec: CsvRecord): void {
    if (this.extraIndexes.length === 0) this.out.nullField();
    else this.out.jsonbField(rec, this.extraIndexes, this.extraKeys);
  }
}

/** How a file kind is read: its known columns and a validator bound to a header. */
export interface FileKind {
  readonly file: string;
  readonly columns: readonly ColumnSpec[];
  encoder(
    layout: HeaderLayout,
    problems: ProblemLog,
    out: CopyOut,
    ctx: EncoderContext,
  ): RowEncoder;
}

/** What validators may need beyond the row: the catalog ids and customer ids (score rows). */
export interface EncoderContext {
  catalog: CatalogIds | null;
  /** every stored customer: score rows are then written for `score` itself */
  customers?: CustomerIds | null;
  /** with customers: the id of the first score row, the next ones numbered on from it */
  firstScoreId?: number;
  /** numbers new customers: customer rows are then written for `customer` itself, with ids */
  newCustomers?: CustomerIdsBuilder | null;
}
