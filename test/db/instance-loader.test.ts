import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { EventEmitter, Readable } from "node:stream";
import { Pool } from "pg";
import type { Connection } from "pg";
import { writeDataset } from "../../src/generate";
import { importDataset } from "../../src/ingest";
import { to as copyTo } from "pg-copy-streams";
import { readBinaryCopy } from "../../src/db/copy-binary";
import { BinaryCopyOut, copyOutBinary, TupleDecoder } from "../../src/db/copy-out";
import { loadInstance } from "../../src/db/instance-loader";
import { ABSENT, OptionExpander } from "../../src/db/option-expander";
import type { Instance } from "../../src/optimize/instance";
import { Rng } from "../../src/optimize/rng";
import { createTestDatabase, type TestDatabase } from "../support/db";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`
    INSERT INTO channel (id, external_id, cost_per_contact, response_factor) VALUES
      (7, 'mail', 1.0, 1.0), (5, 'branch', 3.0, 2.0);
    INSERT INTO offer (id, external_id, min_volume, max_volume) VALUES (3, 'loan', 2, NULL), (9, 'card', 0, 10);
    INSERT INTO customer (id, external_id, segment, do_not_contact) VALUES
      (10, 'a', 'young', false), (11, 'b', NULL, true), (12, 'c', 'old', false);
    INSERT INTO score (customer_id, offer_id, channel_id, probability, value, cost) VALUES
      (12, 9, NULL, 0.25, 8, NULL), (10, 3, 5, 0.5, 100, 2.5), (10, 9, NULL, 0.1, 10, 0.5),
      (11, 3, NULL, 0.9, 100, NULL);`);
});
afterAll(async () => {
  await db.drop();
});

describe("loadInstance", () => {
  it("reads eligible options into per-customer rows ordered by offer and channel", async () => {
    const { instance: ins, catalog } = await loadInstance(db.pool);
    // catalog order is by external id: offers card, loan; channels branch, mail
    expect(ins.offerIds).toEqual(["card", "loan"]);
    expect(ins.channelIds).toEqual(["branch", "mail"]);
    expect(ins.segments).toEqual(["old", "young"]);
    expect(catalog.offers.map((o) => [o.id, o.minVolume, o.maxVolume])).toEqual([
      ["card", 0, 10],
      ["loan", 2, null],
    ]);
    expect(Array.from(ins.customerKey)).toEqual([10, 11, 12]);
    expect(Array.from(ins.customerSegment)).toEqual([1, -1, 0]);
    expect(Array.from(ins.custStart)).toEqual([0, 3, 3, 5]);
    const opts = Array.from({ length: 5 }, (_, k) => [
      ins.offerIds[ins.optOffer[k]!],
      ins.channelIds[ins.optChannel[k]!],
      ins.optReturn[k],
      ins.optCost[k],
    ]);
    expect(opts).toEqual([
      ["card", "branch", 2, 0.5],
      ["card", "mail", 1, 0.5],
      ["loan", "branch", 50, 2.5],
      ["card", "branch", 4, 3],
      ["card", "mail", 2, 1],
    ]);
  });

  it("agrees option for option with the eligible_option view on a generated dataset", async () => {
    await withDataset(async (pool) => {
      const { instance } = await loadInstance(pool);
      const mine = optionLines(instance);
      expect(mine.length).toBeGreaterThan(10000);
      expect(mine.sort()).toEqual(await viewLines(pool));
    });
  });

  it("agrees with the view when score rows lie scattered: every customer split, out of order", async () => {
    await withDataset(async (pool) => {
      await pool.query(`
        CREATE TABLE score_copy AS SELECT * FROM score;
        TRUNCATE score;
        INSERT INTO score SELECT * FROM score_copy ORDER BY md5(id::text);
        DROP TABLE score_copy;
        UPDATE customer SET do_not_contact = true WHERE id % 17 = 0;
        ANALYZE score;`);
      const { rows } = await pool.query<{ runs: number; customers: number }>(
        `SELECT count(*) FILTER (WHERE customer_id IS DISTINCT FROM prev)::int AS runs,
                count(DISTINCT customer_id)::int AS customers
         FROM (SELECT customer_id, lag(customer_id) OVER () AS prev FROM score) s`,
      );
      expect(rows[0]!.runs).toBeGreaterThan(3 * rows[0]!.customers);
      const { instance } = await loadInstance(pool);
      expect(optionLines(instance).sort()).toEqual(await viewLines(pool));
      // and on a single connection (a pool of one), without the second stream
      const single = new Pool({ connectionString: pool.options.connectionString, max: 1 });
      try {
        const again = await loadInstance(single);
        expect(optionLines(again.instance)).toEqual(optionLines(instance));
      } finally {
        await single.end();
      }
    });
  });

  it("expands rows in any order, split and interleaved, like a direct reading of the rule", () => {
    const rng = new Rng(17);
    const nO = 4;
    const nC = 3;
    const catalog = {
      numOffers: nO,
      numChannels: nC,
      allowed: Uint8Array.from({ length: nO * nC }, (_, k) => (k % 5 === 3 ? 0 : 1)),
      responseFactor: Float64Array.from([1, 2.5, 0.5]),
      channelCost: Float64Array.from([1, 3, 0.25]),
    };
    const maxId = 60;
    const segmentOfId = new Int32Array(maxId + 1).fill(ABSENT);
    const doNotContactOfId = new Uint8Array(maxId + 1);
    for (let id = 1; id <= maxId; id++) {
      if (id % 9 === 0) continue; // ids without a customer
      segmentOfId[id] = id % 3 === 0 ? -1 : id % 2;
      doNotContactOfId[id] = id % 11 === 0 ? 1 : 0;
    }
    type Row = [number, number, number, number, number, number];
    const rows: Row[] = [];
    for (let id = 1; id <= maxId; id++) {
      if (segmentOfId[id] === ABSENT) continue;
      for (let j = 0; j < nO; j++)
        for (let c = -1; c < nC; c++)
          if (rng.float() < 0.35)
            rows.push([
              id,
              j,
              c,
              rng.float(),
              1 + rng.int(50),
              rng.float() < 0.3 ? NaN : rng.float(),
            ]);
    }
    // customer order, mostly, with stretches moved elsewhere: runs split and out of order
    for (let t = 0; t < 40; t++) {
      const a = rng.int(rows.length);
      const b = rng.int(rows.length);
      const moved = rows.splice(a, 1 + rng.int(4));
      rows.splice(Math.min(b, rows.length), 0, ...moved);
    }
    const expected = reference(rows, catalog, segmentOfId, doNotContactOfId);
    // an estimate far too small, so the arrays must grow as well
    const expander = new OptionExpander(catalog, { segmentOfId, doNotContactOfId }, 10, 8);
    for (const r of rows) expander.row(...r);
    const out = expander.assemble();
    expect(expander.stats.splitCustomers).toBeGreaterThan(0);
    expect(expander.stats.sideRuns).toBeGreaterThan(0);
    const got: string[][] = [];
    for (let i = 0; i < out.numCustomers; i++) {
      const list: string[] = [];
      for (let k = out.custStart[i]!; k < out.custStart[i + 1]!; k++)
        list.push([out.optOffer[k], out.optChannel[k], out.optReturn[k], out.optCost[k]].join());
      got.push([String(out.customerKey[i]), String(out.customerSegment[i]), ...list]);
    }
    expect(got).toEqual(expected);
  });

  it("parses binary COPY split at every byte boundary", async () => {
    const client = await db.pool.connect();
    const chunks: Buffer[] = [];
    try {
      const s = client.query(
        copyTo(
          `COPY (SELECT g::int4, (g * 0.5)::float8, CASE WHEN g % 3 = 0 THEN NULL ELSE g::int8 END
                 FROM generate_series(1, 200) g) TO STDOUT (FORMAT binary)`,
        ),
      );
      for await (const c of s as AsyncIterable<Buffer>) chunks.push(c);
    } finally {
      client.release();
    }
    const whole = Buffer.concat(chunks);
    const bytes = Readable.from(
      (function* () {
        for (let i = 0; i < whole.length; i++) yield whole.subarray(i, i + 1);
      })(),
    );
    const seen: number[][] = [];
    const n = await readBinaryCopy(bytes, ["int4", "float8", "int8"], (r) =>
      seen.push(Array.from(r.values)),
    );
    expect(n).toBe(200);
    expect(seen[0]).toEqual([1, 0.5, 1]);
    expect(seen[2]).toEqual([3, 1.5, -1]);
    expect(seen[199]).toEqual([200, 100, 200]);
  });

  it("copyOutBinary rejects a server error or a failing row handler and leaves the connection usable", async () => {
    const client = await db.pool.connect();
    try {
      await expect(
        copyOutBinary(client, "COPY no_such_table TO STDOUT (FORMAT binary)", ["int4"], () => {}),
      ).rejects.toThrow(/no_such_table/);
      expect((await client.query("SELECT 1 AS one")).rows[0].one).toBe(1);
      let seen = 0;
      await expect(
        copyOutBinary(
          client,
          "COPY (SELECT g FROM generate_series(1, 5000) g) TO STDOUT (FORMAT binary)",
          ["int4"],
          () => {
            if (++seen === 10) throw new Error("row handler failed");
          },
        ),
      ).rejects.toThrow("row handler failed");
      expect((await client.query("SELECT 2 AS two")).rows[0].two).toBe(2);
      await expect(copyOutBinary(client, "SELECT 1", ["int4"], () => {})).rejects.toThrow(
        /unexpected message/,
      );
      expect((await client.query("SELECT 3 AS three")).rows[0].three).toBe(3);
      const sums = [0, 0];
      const n = await copyOutBinary(
        client,
        `COPY (SELECT g::int4, CASE WHEN g % 3 = 0 THEN NULL ELSE g * 0.5 END::float8
               FROM generate_series(1, 100000) g) TO STDOUT (FORMAT binary)`,
        ["int4", "float8"],
        (v) => {
          sums[0] += v[0]!;
          if (!Number.isNaN(v[1]!)) sums[1] += v[1]!;
        },
      );
      expect(n).toBe(100000);
      expect(sums[0]).toBe(5000050000);
      expect(sums[1]).toBe(0.5 * (5000050000 - 3 * ((33333 * 33334) / 2)));
    } finally {
      client.release();
    }
  });

  it("reads the protocol split at every byte boundary and hands pg the bytes after CopyDone", async () => {
    const client = await db.pool.connect();
    const chunks: Buffer[] = [];
    try {
      const s = client.query(
        copyTo(
          `COPY (SELECT g::int4, (g * 0.5)::float8, CASE WHEN g % 3 = 0 THEN NULL ELSE g END::int4
                 FROM generate_series(1, 40) g) TO STDOUT (FORMAT binary)`,
        ),
      );
      for await (const c of s as AsyncIterable<Buffer>) chunks.push(c);
    } finally {
      client.release();
    }
    // the payload re-cut into CopyData messages of uneven sizes, framed as a server sends them
    const payload = Buffer.concat(chunks);
    const message = (code: string, body: Buffer) => {
      const head = Buffer.alloc(5);
      head.write(code, 0, "latin1");
      head.writeInt32BE(body.length + 4, 1);
      return Buffer.concat([head, body]);
    };
    const parts = [message("H", Buffer.from([1, 0, 3, 0, 1, 0, 1, 0, 1]))];
    for (let at = 0, size = 1; at < payload.length; at += size, size = ((size * 7) % 97) + 1)
      parts.push(message("d", payload.subarray(at, at + size)));
    parts.push(message("c", Buffer.alloc(0)));
    const after = Buffer.concat([
      message("C", Buffer.from("COPY 40\0")),
      message("Z", Buffer.from("T")),
    ]);
    const wire = Buffer.concat([...parts, after]);
    for (const cut of [
      1,
      2,
      5,
      6,
      7,
      50,
      51,
      52,
      53,
      wire.length - after.length - 1,
      wire.length - 1,
    ]) {
      const rows: number[][] = [];
      const { copy, stream, handedToPg, done } = fakeCopy((v) => rows.push(Array.from(v)));
      for (let at = 0; at < wire.length; at += cut)
        stream.emit("data", wire.subarray(at, at + cut));
      expect(Buffer.concat(handedToPg)).toEqual(after);
      copy.handleReadyForQuery();
      await expect(done).resolves.toBe(40);
      expect(rows[0]).toEqual([1, 0.5, 1]);
      expect(rows[2]).toEqual([3, 1.5, -1]);
      expect(rows[39]).toEqual([40, 20, 40]);
    }
  });
});

/** A BinaryCopyOut on a stand-in connection: the socket is an emitter, pg's parser a collector. */
function fakeCopy(onRow: (v: Float64Array) => void) {
  const stream = new EventEmitter();
  const handedToPg: Buffer[] = [];
  stream.on("data", (b: Buffer) => handedToPg.push(Buffer.from(b)));
  let copy!: BinaryCopyOut;
  const done = new Promise<number>((resolve, reject) => {
    copy = new BinaryCopyOut(
      "COPY …",
      new TupleDecoder(["int4", "float8", "int4"], onRow),
      resolve,
      reject,
    );
  });
  copy.submit({ stream, query: () => {} } as unknown as Connection);
  return { copy, stream, handedToPg, done };
}

/** A generated, imported dataset in a database of its own. */
async function withDataset(body: (pool: Pool) => Promise<void>): Promise<void> {
  const other = await createTestDatabase();
  const dir = await mkdtemp(path.join(tmpdir(), "offerplan-loader-"));
  try {
    await writeDataset({ customers: 1500, seed: 5, profile: "hard", outDir: dir });
    await importDataset(other.pool, dir);
    await body(other.pool);
  } finally {
    await other.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

function optionLines(ins: Instance): string[] {
  const mine: string[] = [];
  for (let i = 0; i < ins.numCustomers; i++)
    for (let k = ins.custStart[i]!; k < ins.custStart[i + 1]!; k++)
      mine.push(
        [
          ins.customerKey[i],
          ins.offerIds[ins.optOffer[k]!],
          ins.channelIds[ins.optChannel[k]!],
          ins.optReturn[k],
          ins.optCost[k],
        ].join(),
      );
  return mine;
}

async function viewLines(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ line: string }>(
    `SELECT concat_ws(',', e.customer_id, o.external_id, c.external_id, e.expected_return, e.cost) AS line
     FROM eligible_option e JOIN offer o ON o.id = e.offer_id JOIN channel c ON c.id = e.channel_id`,
  );
  // float8 text output is shortest-exact in PostgreSQL ≥ 12, like JavaScript's
  return rows.map((r) => r.line).sort();
}

/** The contract's rule read straight off all rows of each customer: [id, segment, options…] per customer. */
function reference(
  rows: Array<[number, number, number, number, number, number]>,
  catalog: {
    numOffers: number;
    numChannels: number;
    allowed: Uint8Array;
    responseFactor: Float64Array;
    channelCost: Float64Array;
  },
  segmentOfId: Int32Array,
  doNotContactOfId: Uint8Array,
): string[][] {
  const out: string[][] = [];
  for (let id = 0; id < segmentOfId.length; id++) {
    if (segmentOfId[id] === ABSENT) continue;
    const list: string[] = [];
    const mine = rows.filter((r) => r[0] === id);
    for (let j = 0; j < catalog.numOffers && !doNotContactOfId[id]; j++)
      for (let c = 0; c < catalog.numChannels; c++) {
        if (!catalog.allowed[j * catalog.numChannels + c]) continue;
        const specific = mine.find((r) => r[1] === j && r[2] === c);
        const generic = mine.find((r) => r[1] === j && r[2] === -1);
        const r = specific ?? generic;
        if (!r) continue;
        const p = specific ? r[3] : Math.min(1, r[3] * catalog.responseFactor[c]!);
        list.push([j, c, p * r[4], Number.isNaN(r[5]) ? catalog.channelCost[c] : r[5]].join());
      }
    out.push([String(id), String(segmentOfId[id]), ...list]);
  }
  return out;
}
