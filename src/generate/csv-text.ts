// CSV text of the dataset files, exactly as shared/data-contract.md describes them.
import { AsciiChunks, encodeAscii } from "./ascii-chunks";
import {
  MONEY_DECIMALS,
  MONEY_SCALE,
  PROBABILITY_DECIMALS,
  PROBABILITY_SCALE,
  fixedFormatter,
} from "./decimal";
import type { CustomerRecord, ScoreRows } from "./customer-stream";
import type { DatasetSpec } from "./spec";

const formatMoney = fixedFormatter(MONEY_DECIMALS);

export const CHANNELS_HEADER = "channel_id,name,cost_per_contact,capacity,response_factor";
export const OFFERS_HEADER = "offer_id,name,category,min_volume,max_volume,channels";
export const CUSTOMERS_HEADER =
  "customer_id,segment,do_not_contact,age_band,tenure_years,household_id";
export const SCORES_HEADER = "customer_id,offer_id,channel_id,probability,value,cost";

/** RFC 4180 quoting, for the free-text columns of the small files */
export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
}

export function channelsCsv(spec: DatasetSpec): string {
  const lines = spec.channels.map((c) =>
    [
      csvField(c.id),
      csvField(c.name),
      formatMoney(c.costCents),
      c.capacity === null ? "" : String(c.capacity),
      String(c.responseFactor),
    ].join(","),
  );
  return [CHANNELS_HEADER, ...lines].join("\n") + "\n";
}

export function offersCsv(spec: DatasetSpec): string {
  const lines = spec.offers.map((o) =>
    [
      csvField(o.id),
      csvField(o.name),
      csvField(o.category),
      String(o.minVolume),
      o.maxVolume === null ? "" : String(o.maxVolume),
      o.channels === null ? "" : csvField(o.channels.join(";")),
    ].join(","),
  );
  return [OFFERS_HEADER, ...lines].join("\n") + "\n";
}

export function constraintsJson(spec: DatasetSpec): string {
  return JSON.stringify(spec.constraintSet, null, 2) + "\n";
}

const P_DECIMALS = PROBABILITY_DECIMALS;
const P_SCALE = PROBABILITY_SCALE;
const M_DECIMALS = MONEY_DECIMALS;
const M_SCALE = MONEY_SCALE;
const COMMA = 44;
const NEWLINE = 10;

/** Encodes the bulk files' records; generated ids and labels are plain ASCII and never need quoting. */
export class BulkCsvEncoder {
  readonly customers = new AsciiChunks();
  readonly scores = new AsciiChunks();
  /** ",offer_id,channel_id," per offer × (no channel, channel 0, 1, …) */
  private readonly rowPrefix: Uint8Array[][];
  private readonly segmentIds: Uint8Array[];
  private readonly dncTrue = encodeAscii(",true,");
  private readonly dncFalse = encodeAscii(",false,");

  constructor(spec: DatasetSpec) {
    this.rowPrefix = spec.offers.map((o) =>
      ["," + o.id + ",,", ...spec.channels.map((c) => "," + o.id + "," + c.id + ",")].map(
        encodeAscii,
      ),
    );
    this.segmentIds = spec.segments.map((s) => encodeAscii("," + s));
    this.customers.ascii(CUSTOMERS_HEADER + "\n");
    this.scores.ascii(SCORES_HEADER + "\n");
  }

  add(c: CustomerRecord, rows: ScoreRows): void {
    const cu = this.customers;
    cu.ascii(c.id);
    cu.bytes(this.segmentIds[c.segment]);
    cu.bytes(c.doNotContact ? this.dncTrue : this.dncFalse);
    cu.ascii(c.ageBand);
    cu.byte(COMMA);
    cu.uint(c.tenureYears);
    cu.byte(COMMA);
    cu.ascii(c.householdId);
    cu.byte(NEWLINE);
    cu.endRecord();

    const sc = this.scores;
    const id = c.id;
    for (let r = 0; r < rows.count; r++) {
      sc.ascii(id);
      sc.bytes(this.rowPrefix[rows.offer[r]][rows.channel[r] + 1]);
      sc.fixed(rows.probabilityUnits[r], P_DECIMALS, P_SCALE);
      sc.byte(COMMA);
      sc.fixed(rows.valueCents[r], M_DECIMALS, M_SCALE);
      sc.byte(COMMA);
      const cost = rows.costCents[r];
      if (cost >= 0) sc.fixed(cost, M_DECIMALS, M_SCALE);
      sc.byte(NEWLINE);
    }
    sc.endRecord();
  }
}
