// A plan's fingerprint: SHA-256 over its assignment rows in one canonical order, so that two plans
// with the same assignments have the same fingerprint whatever order they were computed or
// written in. A row is
//
//   customer_id \t offer external id \t channel external id \t wave (empty if none) \t group \n
//
// with customer_id the customer's database id; rows sorted by customer_id, then offer, channel
// and wave compared as byte strings (SQL: COLLATE "C"). docs/reproducibility.md shows the same hash in
// SQL, which is how a test checks this code.
import { createHash } from "node:crypto";
import type { Instance } from "../optimize/instance";

export interface FingerprintInput {
  instance: Instance;
  selected: Uint8Array;
  control?: Uint8Array;
  wave?: { ofOption: Int32Array; names: string[] };
  /** external ids by instance index (may differ from instance.offerIds for calendars) */
  offerIds: readonly string[];
  channelIds: readonly string[];
}

/** Rows are hashed in chunks of about this many characters: fewer hash calls, bounded strings. */
const CHUNK_CHARS = 1 << 16;

export function planFingerprint(input: FingerprintInput): string {
  const { instance: ins, selected, control, wave, offerIds, channelIds } = input;
  const offerRank = ranks(offerIds);
  const channelRank = ranks(channelIds);
  const hash = createHash("sha256");
  let chunk = "";
  const picked: number[] = [];
  for (const i of customersByKey(ins)) {
    picked.length = 0;
    for (let k = ins.custStart[i]!; k < ins.custStart[i + 1]!; k++) if (selected[k]) picked.push(k);
    if (picked.length === 0) continue;
    if (picked.length > 1)
      picked.sort((a, b) => compareOptions(ins, a, b, offerRank, channelRank, wave));
    for (const k of picked) {
      chunk += `${ins.customerKey[i]}\t${offerIds[ins.optOffer[k]!]}\t${channelIds[ins.optChannel[k]!]}\t${
        wave ? wave.names[wave.ofOption[k]!] : ""
      }\t${control?.[k] ? "control" : "treatment"}\n`;
    }
    if (chunk.length >= CHUNK_CHARS) {
      hash.update(chunk);
      chunk = "";
    }
  }
  hash.update(chunk);
  return hash.digest("hex");
}

function compareOptions(
  ins: Instance,
  a: number,
  b: number,
  offerRank: Int32Array,
  channelRank: Int32Array,
  wave: FingerprintInput["wave"],
): number {
  return (
    offerRank[ins.optOffer[a]!]! - offerRank[ins.optOffer[b]!]! ||
    channelRank[ins.optChannel[a]!]! - channelRank[ins.optChannel[b]!]! ||
    (wave ? byteOrder(wave.names[wave.ofOption[a]!]!, wave.names[wave.ofOption[b]!]!) : 0)
  );
}

/** Position of each id in byte order (ids are compared as SQL's "C" collation would). */
function ranks(ids: readonly string[]): Int32Array {
  const order = ids.map((_, i) => i).sort((a, b) => byteOrder(ids[a]!, ids[b]!));
  const rank = new Int32Array(ids.length);
  order.forEach((i, r) => (rank[i] = r));
  return rank;
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** Customer indexes by ascending database id (the loader's order; sorted here if it is not). */
function customersByKey(ins: Instance): Int32Array {
  const n = ins.numCustomers;
  const order = new Int32Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    order[i] = i;
    if (i > 0 && ins.customerKey[i]! < ins.customerKey[i - 1]!) sorted = false;
  }
  if (!sorted) order.sort((a, b) => ins.customerKey[a]! - ins.customerKey[b]!);
  return order;
}
