// offers.csv: offer_id, name, category, min_volume, max_volume, channels (+ attributes). The
// `channels` list goes to its own staging table, one row per (offer, channel), checked against
// channels.csv and the database in SQL. The file is small: strings are fine here.
import { quoteCell } from "../cells";
import { CopyOut } from "../copy-out";
import type { CsvRecord } from "../csv-reader";
import { RowEncoder, range, type FileKind } from "./row-encoder";

export const OFFERS_FILE = "offers.csv";

class OfferRows extends RowEncoder {
  private readonly iId = this.col("offer_id");
  private readonly iName = this.col("name");
  private readonly iCategory = this.col("category");
  private readonly iMin = this.col("min_volume");
  private readonly iMax = this.col("max_volume");
  private readonly iChannels = this.col("channels");
  private readonly id_ = range();
  private readonly name = range();
  private readonly category = range();
  private readonly min = range();
  private readonly max = range();
  private readonly channels = range();
  private readonly channelRows = new CopyOut();

  override secondary(): CopyOut {
    return this.channelRows;
  }

  encode(rec: CsvRecord): void {
    this.ok = true;
    const hasId = this.id(rec, this.iId, "offer_id", this.id_);
    this.verbatim(rec, this.iName, this.name);
    // category is a key for reports and rules: trimmed like an id
    this.trimmed(rec, this.iCategory, this.category);
    const hasMin = this.integer(rec, this.iMin, "min_volume", this.min);
    const minValue = hasMin ? this.num : 0;
    const okSoFar = this.ok;
    const hasMax = this.integer(rec, this.iMax, "max_volume", this.max);
    if (okSoFar && this.ok && hasMax && minValue > this.num)
      this.fail(
        rec.line,
        "min_volume",
        `min_volume ${minValue} is greater than max_volume ${this.num}`,
      );
    const channelIds = this.channelList(rec);
    if (!hasId) return;
    const o = this.out;
    o.uint(rec.line);
    o.tab();
    this.text(rec, this.id_);
    if (this.ok) {
      o.tab();
      this.text(rec, this.name);
      o.tab();
      this.text(rec, this.category);
      o.tab();
      if (hasMin) this.text(rec, this.min);
      else o.ascii("0");
      o.tab();
      this.text(rec, this.max);
      o.ascii(channelIds.length === 0 ? "\tt\t" : "\tf\t");
      this.attributes(rec);
    } else o.ascii("\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N");
    o.end();
    for (const c of channelIds) {
      const ch = this.channelRows;
      ch.uint(rec.line);
      ch.tab();
      ch.bytes(rec.buf, this.id_.start, this.id_.end, rec.plain);
      ch.tab();
      ch.string(c);
      ch.end();
    }
  }

  /** the distinct channel ids of the `channels` cell; empty = every channel */
  private channelList(rec: CsvRecord): string[] {
    this.trimmed(rec, this.iChannels, this.channels);
    if (this.channels.start === this.channels.end) return [];
    const cell = this.cell(rec, this.channels);
    const ids = new Set<string>();
    for (const part of cell.split(";")) {
      const id = part.trim();
      if (id.length === 0) {
        this.fail(rec.line, "channels", `empty channel id in the list ${quoteCell(cell)}`);
        return [];
      }
      ids.add(id);
    }
    return [...ids];
  }
}

export const offersKind: FileKind = {
  file: OFFERS_FILE,
  columns: [
    { name: "offer_id", required: true },
    { name: "name", required: false },
    { name: "category", required: false },
    { name: "min_volume", required: false },
    { name: "max_volume", required: false },
    { name: "channels", required: false },
  ],
  encoder: (layout, problems, out) => new OfferRows(OFFERS_FILE, layout, problems, out),
};
