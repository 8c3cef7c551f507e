// customers.csv: customer_id, segment, do_not_contact; every other column is an attribute.
import { parseBoolean, quoteCell } from "../cells";
import type { CsvRecord } from "../csv-reader";
import type { CustomerIdsBuilder } from "../customer-ids";
import { RowEncoder, range, type FileKind } from "./row-encoder";

export const CUSTOMERS_FILE = "customers.csv";

class CustomerRows extends RowEncoder {
  /** new customers' ids, when rows go to `customer` itself (direct-customers.ts); else null */
  numbering: CustomerIdsBuilder | null = null;
  private readonly iId = this.col("customer_id");
  private readonly iSegment = this.col("segment");
  private readonly iDnc = this.col("do_not_contact");
  private readonly id_ = range();
  private readonly segment = range();
  private readonly dnc = range();

  encode(rec: CsvRecord): void {
    this.ok = true;
    const hasId = this.id(rec, this.iId, "customer_id", this.id_);
    // segment is a key that constraint sets match on: trimmed like an id
    this.trimmed(rec, this.iSegment, this.segment);
    this.trimmed(rec, this.iDnc, this.dnc);
    let dnc = false;
    if (this.dnc.start < this.dnc.end) {
      const b = parseBoolean(rec.buf, this.dnc.start, this.dnc.end);
      if (b === null)
        this.fail(
          rec.line,
          "do_not_contact",
          `must be true or false, got ${quoteCell(this.cell(rec, this.dnc))}`,
        );
      else dnc = b;
    }
    if (!hasId) return;
    const o = this.out;
    if (this.numbering !== null) {
      // a row for `customer` itself; a rejected import writes nothing, so a bad row is not sent
      if (!this.ok) return;
      o.uint(this.numbering.add(rec.buf, this.id_.start, this.id_.end));
    } else o.uint(rec.line);
    o.tab();
    this.text(rec, this.id_);
    if (this.ok) {
      o.tab();
      this.text(rec, this.segment);
      o.ascii(dnc ? "\tt\t" : "\tf\t");
      this.attributes(rec);
    } else o.ascii("\t\\N\t\\N\t\\N");
    o.end();
  }
}

export const customersKind: FileKind = {
  file: CUSTOMERS_FILE,
  columns: [
    { name: "customer_id", required: true },
    { name: "segment", required: false },
    { name: "do_not_contact", required: false },
  ],
  encoder: (layout, problems, out, ctx) => {
    const rows = new CustomerRows(CUSTOMERS_FILE, layout, problems, out);
    rows.numbering = ctx.newCustomers ?? null;
    return rows;
  },
};
