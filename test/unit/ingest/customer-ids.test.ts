// The external id -> id table of the direct loads: every key found with its own id whatever the
// collisions of its hash, ids that are prefixes of others kept apart, repeats counted, and the
// binary COPY rows of (id, external_id) read back exactly.
import { UNKNOWN_ID } from "../../../src/ingest/catalog-ids";
import { CustomerIdsBuilder, parseIdRows } from "../../../src/ingest/customer-ids";

const bytes = (s: string) => Buffer.from(s, "utf8");
const lookup = (ids: { get(b: Buffer, s: number, e: number): number }, key: string) => {
  // the key in the middle of a larger buffer, as in a CSV chunk
  const buf = Buffer.concat([bytes("xx,"), bytes(key), bytes(",yy")]);
  return ids.get(buf, 3, 3 + Buffer.byteLength(key));
};

/** a binary COPY stream of (int4, text) tuples */
function binaryCopy(rows: [number, string][]): Buffer {
  const parts = [Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.alloc(8)];
  for (const [id, key] of rows) {
    const head = Buffer.alloc(14);
    head.writeInt16BE(2, 0);
    head.writeInt32BE(4, 2);
    head.writeInt32BE(id, 6);
    head.writeInt32BE(Buffer.byteLength(key), 10);
    parts.push(head, bytes(key));
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

describe("customer ids", () => {
  it("numbers keys in the order they are added and finds each one", () => {
    const builder = new CustomerIdsBuilder(41);
    const keys = Array.from({ length: 50_000 }, (_, i) => `C${i}`);
    for (const k of keys) builder.add(Buffer.concat([bytes(" "), bytes(k)]), 1, 1 + k.length);
    const ids = builder.build();
    expect(ids.size).toBe(50_000);
    expect(ids.duplicates).toBe(0);
    expect(keys.every((k, i) => lookup(ids, k) === 41 + i)).toBe(true);
    // prefixes and extensions of stored keys are other keys
    expect(lookup(ids, "C")).toBe(UNKNOWN_ID);
    expect(lookup(ids, "C499990")).toBe(UNKNOWN_ID);
    expect(lookup(ids, "c1")).toBe(UNKNOWN_ID);
    expect(lookup(ids, "C1")).toBe(42);
    expect(lookup(ids, "C10")).toBe(51);
  });

  it("counts a key added twice and keeps its first id", () => {
    const builder = new CustomerIdsBuilder(1);
    for (const k of ["a", "é", "a", "b", "é"]) builder.add(bytes(k), 0, Buffer.byteLength(k));
    const ids = builder.build();
    expect(ids.duplicates).toBe(2);
    expect([lookup(ids, "a"), lookup(ids, "é"), lookup(ids, "b")]).toEqual([1, 2, 4]);
  });

  it("reads (id, external_id) rows of a binary COPY", () => {
    const ids = parseIdRows(
      binaryCopy([
        [7, "C1"],
        [3, "C10"],
        [2_000_000_000, "ünï"],
      ]),
    );
    expect(ids.size).toBe(3);
    expect([lookup(ids, "C1"), lookup(ids, "C10"), lookup(ids, "ünï")]).toEqual([
      7, 3, 2_000_000_000,
    ]);
    expect(lookup(ids, "C100")).toBe(UNKNOWN_ID);
    expect(parseIdRows(binaryCopy([])).size).toBe(0);
  });
});
