// scores.csv: customer_id, offer_id, channel_id, probability, value, cost (+ attributes). The
// hot path of an import (~7 rows per customer): no per-row object, no string.
//
// Offer and channel ids are resolved here against the catalog (the files' and the database's
// channels and offers, merged before this file is read). Customers are resolved in SQL (rows for
// the staging table, with their line), or here when the context holds every customer's id (rows
// for `score` itself: see direct-scores.ts).
import { UNKNOWN_ID, type ByteIdMap, type CatalogIds } from "../catalog-ids";
import type { CustomerIds } from "../customer-ids";
import { quoteCell, type Range } from "../cells";
import type { CsvRecord } from "../csv-reader";
import { RowEncoder, range, type FileKind } from "./row-encoder";
import type { CopyOut } from "../copy-out";
import type { ProblemLog } from "../errors";
import type { HeaderLayout } from "../header";

export const SCORES_FILE = "scores.csv";

class ScoreRows extends RowEncoder {
  private readonly iCustomer = this.col("customer_id");
  private readonly iOffer = this.col("offer_id");
  private readonly iChannel = this.col("channel_id");
  private readonly iProbability = this.col("probability");
  private readonly iValue = this.col("value");
  private readonly iCost = this.col("cost");
  private readonly customer = range();
  private readonly offer = range();
  private readonly channel = range();
  private readonly probability = range();
  private readonly value = range();
  private readonly cost = range();
  /** the id of the next row written for `score` itself */
  private nextId: number;

  constructor(
    layout: HeaderLayout,
    problems: ProblemLog,
    out: CopyOut,
    private readonly catalog: CatalogIds,
    private readonly customers: CustomerIds | null,
    firstId: number,
  ) {
    super(SCORES_FILE, layout, problems, out);
    this.nextId = firstId;
  }

  encode(rec: CsvRecord): void {
    this.ok = true;
    const hasCustomer = this.id(rec, this.iCustomer, "customer_id", this.customer);
    const offerId = this.id(rec, this.iOffer, "offer_id", this.offer)
      ? this.resolve(rec, this.catalog.offers, this.offer, "offer_id", "offer", "offers.csv")
      : UNKNOWN_ID;
    this.trimmed(rec, this.iChannel, this.channel);
    const hasChannel = this.channel.start < this.channel.end;
    const channelId = hasChannel
      ? this.resolve(
          rec,
          this.catalog.channels,
          this.channel,
          "channel_id",
          "channel",
          "channels.csv",
        )
      : 0;
    this.decimal(rec, this.iProbability, "probability", true, "probability", this.probability);
    const probability = this.num;
    this.decimal(rec, this.iValue, "value", true, "any", this.value);
    const value = this.num;
    const hasCost = this.decimal(rec, this.iCost, "cost", false, "non-negative", this.cost);
    if (this.customers !== null) {
      if (!hasCustomer) return;
      const cost = hasCost ? this.num : null;
      this.direct(
        rec,
        this.customers,
        offerId,
        hasChannel ? channelId : null,
        probability,
        value,
        cost,
      );
      return;
    }
    if (!hasCustomer || offerId === UNKNOWN_ID || channelId === UNKNOWN_ID) return;
    const o = this.out;
    o.uint(rec.line);
    o.tab();
    this.text(rec, this.customer);
    o.tab();
    o.int(offerId);
    o.tab();
    if (hasChannel) o.int(channelId);
    else o.nul();
    if (this.ok) {
      o.tab();
      this.text(rec, this.probability);
      o.tab();
      this.text(rec, this.value);
      o.tab();
      if (hasCost) this.text(rec, this.cost);
      else o.nul();
      o.tab();
      this.attributes(rec);
    } else o.ascii("\t\\N\t\\N\t\\N\t\\N");
    o.end();
  }

  /** a binary COPY row of `score` itself (id, customer_id, offer_id, …), when all is well */
  private direct(
    rec: CsvRecord,
    customers: CustomerIds,
    offerId: number,
    channelId: number | null,
    probability: number,
    value: number,
    cost: number | null,
  ): void {
    const customerId = customers.get(rec.buf, this.customer.start, this.customer.end);
    if (customerId === UNKNOWN_ID)
      this.fail(
        rec.line,
        "customer_id",
        `unknown customer ${quoteCell(this.cell(rec, this.customer))}: not in customers.csv nor in the database`,
      );
    // a rejected import writes nothing: a bad row need not be sent
    if (!this.ok) return;
    const o = this.out;
    o.tuple(8);
    // numbered here rather than by the column's default: the server then evaluates no
    // nextval() per row (about a tenth of its time in the COPY, measured at 1M customers)
    o.int8(this.nextId++);
    o.int4(customerId);
    o.int4(offerId);
    if (channelId === null) o.nullField();
    else o.int4(channelId);
    o.float8(probability);
    o.float8(value);
    if (cost === null) o.nullField();
    else o.float8(cost);
    this.binaryAttributes(rec);
  }

  /** the database id of an offer or channel; UNKNOWN_ID (after logging) when unknown */
  private resolve(
    rec: CsvRecord,
    ids: ByteIdMap,
    r: Range,
    column: string,
    what: string,
    file: string,
  ): number {
    const id = ids.get(rec.buf, r.start, r.end);
    if (id === UNKNOWN_ID)
      this.fail(
        rec.line,
        column,
        `unknown ${what} ${quoteCell(this.cell(rec, r))}: not in ${file} nor in the database`,
      );
    return id;
  }
}

export const scoresKind: FileKind = {
  file: SCORES_FILE,
  columns: [
    { name: "customer_id", required: true },
    { name: "offer_id", required: true },
    { name: "channel_id", required: false },
    { name: "probability", required: true },
    { name: "value", required: true },
    { name: "cost", required: false },
  ],
  encoder: (layout, problems, out, ctx) => {
    if (!ctx.catalog) throw new Error("scores need the catalog ids");
    const customers = ctx.customers ?? null;
    if (customers !== null && ctx.firstScoreId === undefined)
      throw new Error("score rows for `score` itself need their first id");
    return new ScoreRows(layout, problems, out, ctx.catalog, customers, ctx.firstScoreId ?? 0);
  },
};
