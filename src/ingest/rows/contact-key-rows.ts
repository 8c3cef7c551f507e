// The key both files about a plan's or a campaign's contacts start with (contact history,
// responses): customer_id, offer_id, channel_id, staged as text in that order after the line.
import type { CsvRecord } from "../csv-reader";
import type { ColumnSpec } from "../header";
import { RowEncoder, range } from "./row-encoder";

export abstract class ContactKeyRows extends RowEncoder {
  protected readonly iCustomer = this.col("customer_id");
  protected readonly iOffer = this.col("offer_id");
  protected readonly iChannel = this.col("channel_id");
  protected readonly customer = range();
  protected readonly offer = range();
  protected readonly channel = range();

  /** Starts the row: its line, then customer, offer and channel as read, each followed by a tab. */
  protected writeKey(rec: CsvRecord): void {
    const o = this.out;
    o.uint(rec.line);
    o.tab();
    this.text(rec, this.customer);
    o.tab();
    this.text(rec, this.offer);
    o.tab();
    this.text(rec, this.channel);
    o.tab();
  }
}

/** The key's columns as the file kind lists them; the responses may leave the channel out. */
export function contactKeyColumns(channelRequired: boolean): ColumnSpec[] {
  return [
    { name: "customer_id", required: true },
    { name: "offer_id", required: true },
    { name: "channel_id", required: channelRequired },
  ];
}
