import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { writeDataset } from "../../src/generate";
import { importDataset } from "../../src/ingest";
import { to as copyTo } from "pg-copy-streams";
import { readBinaryCopy } from "../../src/db/copy-binary";
import { loadInstance } from "../../src/db/instance-loader";
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
    const other = await createTestDatabase();
    const dir = await mkdtemp(path.join(tmpdir(), "offerplan-loader-"));
    try {
      await writeDataset({ customers: 1500, seed: 5, profile: "hard", outDir: dir });
      await importDataset(other.pool, dir);
      const { instance: ins } = await loadInstance(other.pool);
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
      const { rows } = await other.pool.query<{ line: string }>(
        `SELECT concat_ws(',', e.customer_id, o.external_id, c.external_id, e.expected_return, e.cost) AS line
         FROM eligible_option e JOIN offer o ON o.id = e.offer_id JOIN channel c ON c.id = e.channel_id`,
      );
      // float8 text output is shortest-exact in PostgreSQL ≥ 12, like JavaScript's
      expect(mine.length).toBeGreaterThan(10000);
      expect(mine.sort()).toEqual(rows.map((r) => r.line).sort());
    } finally {
      await other.drop();
      await rm(dir, { recursive: true, force: true });
    }
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
});
