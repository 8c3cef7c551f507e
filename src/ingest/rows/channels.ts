// channels.csv: channel_id, name, cost_per_contact, capacity, response_factor (+ attributes).
import type { CsvRecord } from "../csv-reader";
import { RowEncoder, range, type FileKind } from "./row-encoder";

export const CHANNELS_FILE = "channels.csv";

class ChannelRows extends RowEncoder {
  private readonly iId = this.col("channel_id");
  private readonly iName = this.col("name");
  private readonly iCost = this.col("cost_per_contact");
  private readonly iCapacity = this.col("capacity");
  private readonly iFactor = this.col("response_factor");
  private readonly id_ = range();
  private readonly name = range();
  private readonly cost = range();
  private readonly capacity = range();
  private readonly factor = range();

  encode(rec: CsvRecord): void {
    this.ok = true;
    const hasId = this.id(rec, this.iId, "channel_id", this.id_);
    this.verbatim(rec, this.iName, this.name);
    this.decimal(rec, this.iCost, "cost_per_contact", true, "non-negative", this.cost);
    this.integer(rec, this.iCapacity, "capacity", this.capacity);
    const hasFactor = this.decimal(
      rec,
      this.iFactor,
      "response_factor",
      false,
      "positive",
      this.factor,
    );
    if (!hasId) return;
    const o = this.out;
    o.uint(rec.line);
    o.tab();
    this.text(rec, this.id_);
    if (this.ok) {
      o.tab();
      this.text(rec, this.name);
      o.tab();
      this.text(rec, this.cost);
      o.tab();
      this.text(rec, this.capacity);
      o.tab();
      if (hasFactor) this.text(rec, this.factor);
      else o.ascii("1");
      o.tab();
      this.attributes(rec);
    } else o.ascii("\t\\N\t\\N\t\\N\t\\N\t\\N");
    o.end();
  }
}

export const channelsKind: FileKind = {
  file: CHANNELS_FILE,
  columns: [
    { name: "channel_id", required: true },
    { name: "name", required: false },
    { name: "cost_per_contact", required: true },
    { name: "capacity", required: false },
    { name: "response_factor", required: false },
  ],
  encoder: (layout, problems, out) => new ChannelRows(CHANNELS_FILE, layout, problems, out),
};
