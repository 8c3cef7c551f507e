// A first load of scores (empty score table) goes straight into `score` (direct-scores.ts). Clean
// files take that path; a file with any problem is rolled back to the savepoint and read again
// through staging, so the problems are those of the staged path, and nothing is written. A
// connection killed before COMMIT leaves nothing either: no rows, no staging table.
import { Pool } from "pg";
import { importDataset } from "../../../src/ingest";
import { createTestDatabase, type TestDatabase } from "../../support/db";
import {
  CHANNELS,
  OFFERS,
  customersCsv,
  datasetDir,
  problem,
  rejection,
  removeDatasetDirs,
  SCORE_HEADER,
  schemaOf,
  scoresCsv,
  snapshot,
  truncateAll,
} from "./helpers";

let db: TestDatabase;
let schema: unknown[];
beforeAll(async () => {
  db = await createTestDatabase();
  schema = await schemaOf(db.pool);
});
afterAll(async () => {
  await db.drop();
  await removeDatasetDirs();
});
beforeEach(async () => {
  await truncateAll(db.pool);
});

const DIRECT = "read + copy scores.csv into score";
const DIRECT_CUSTOMERS = "read + copy customers.csv into customer";

function firstLoad(customers: number, scores: string) {
  return datasetDir({
    "channels.csv": CHANNELS,
    "offers.csv": OFFERS,
    "customers.csv": customersCsv(customers),
    "scores.csv": scores,
  });
}

async function expectNothingWritten(dir: string) {
  const before = await snapshot(db.pool);
  const e = await rejection(importDataset(db.pool, dir));
  expect(await snapshot(db.pool)).toEqual(before);
  expect(await schemaOf(db.pool)).toEqual(schema);
  return e.problems;
}

async function stagingLeftovers(): Promise<string[]> {
  const { rows } = await db.pool.query<{ relname: string }>(
    `SELECT relname FROM pg_class WHERE relname LIKE '\\_ingest\\_%' ORDER BY 1`,
  );
  return rows.map((r) => r.relname);
}

describe("first load of scores", () => {
  it("writes clean score rows straight into score, each with its customer's id", async () => {
    const summary = await importDataset(db.pool, await firstLoad(3, scoresCsv(3)));
    // customers numbered in Node: their ids are not asked of the database
    expect(summary.phases.map((p) => p.phase)).toEqual(
      expect.arrayContaining([DIRECT_CUSTOMERS, DIRECT]),
    );
    expect(summary.phases.map((p) => p.phase)).not.toContain("load customer ids");
    expect(summary.files.map((f) => [f.file, f.inserted])).toEqual([
      ["channels.csv", 2],
      ["offers.csv", 2],
      ["customers.csv", 3],
      ["scores.csv", 6],
    ]);
    const { rows } = await db.pool.query(
      `SELECT c.external_id AS customer, o.external_id AS offer, ch.external_id AS channel,
              s.probability, s.value, s.cost
       FROM score s JOIN customer c ON c.id = s.customer_id JOIN offer o ON o.id = s.offer_id
       LEFT JOIN channel ch ON ch.id = s.channel_id ORDER BY 1, 2`,
    );
    expect(rows).toEqual(
      ["C1", "C2", "C3"].flatMap((customer) => [
        { customer, offer: "card", channel: null, probability: 0.25, value: 10, cost: null },
        { customer, offer: "loan", channel: "mail", probability: 0.5, value: 20, cost: 1 },
      ]),
    );
  });

  it("writes numbers and attributes as PostgreSQL reads their text", async () => {
    const dir = await datasetDir({
      "channels.csv": CHANNELS,
      "offers.csv": OFFERS,
      "customers.csv": customersCsv(2),
      "scores.csv":
        "customer_id,offer_id,channel_id,probability,value,cost,note,model\n" +
        'C1,card,, 1e-5 ,123456789.123456789,0.1,"a ""q"" \\ b\ttab\nline",m\n' +
        "C2,card,,1,-2.5E+3,,,\n" +
        "C2,loan,mail,0.000000000000000000000000001,0,7,ünï,\n",
    });
    const summary = await importDataset(db.pool, dir);
    expect(summary.phases.map((p) => p.phase)).toContain(DIRECT);
    const { rows } = await db.pool.query(
      `SELECT c.external_id AS customer, o.external_id AS offer,
              s.probability = '1e-5'::float8 AND s.value = '123456789.123456789'::float8
                AND s.cost = '0.1'::float8 AS c1,
              s.value = '-2.5E+3'::float8 AND s.cost IS NULL AS c2,
              s.probability = '0.000000000000000000000000001'::float8 AS c3, s.attributes
       FROM score s JOIN customer c ON c.id = s.customer_id JOIN offer o ON o.id = s.offer_id
       ORDER BY 1, 2`,
    );
    expect(rows).toEqual([
      {
        customer: "C1",
        offer: "card",
        c1: true,
        c2: false,
        c3: false,
        attributes: { note: 'a "q" \\ b\ttab\nline', model: "m" },
      },
      { customer: "C2", offer: "card", c1: false, c2: true, c3: false, attributes: null },
      {
        customer: "C2",
        offer: "loan",
        c1: false,
        c2: false,
        c3: true,
        attributes: { note: "ünï" },
      },
    ]);
  });

  it("asks the database for the customers' ids when they were loaded before", async () => {
    await importDataset(
      db.pool,
      await datasetDir({
        "channels.csv": CHANNELS,
        "offers.csv": OFFERS,
        "customers.csv": customersCsv(2),
      }),
    );
    const scores = await importDataset(
      db.pool,
      await datasetDir({ "scores.csv": "customer_id,offer_id,value,probability\nC2,card,5,0.5\n" }),
    );
    expect(scores.phases.map((p) => p.phase)).toEqual(
      expect.arrayContaining(["load customer ids", DIRECT]),
    );
    const { rows } = await db.pool.query(
      `SELECT c.external_id, s.value FROM score s JOIN customer c ON c.id = s.customer_id`,
    );
    expect(rows).toEqual([{ external_id: "C2", value: 5 }]);
  });

  it("numbers new customers from the sequence, which later imports continue", async () => {
    await importDataset(db.pool, await firstLoad(3, scoresCsv(3)));
    const more = await datasetDir({ "customers.csv": "customer_id\nC2\nC4\n" });
    await importDataset(db.pool, more);
    const { rows } = await db.pool.query(`SELECT id, external_id FROM customer ORDER BY id`);
    expect(rows).toEqual([
      { id: 1, external_id: "C1" },
      { id: 2, external_id: "C2" },
      { id: 3, external_id: "C3" },
      { id: 4, external_id: "C4" },
    ]);
  });

  it("numbers score rows from the sequence, which later imports continue", async () => {
    await importDataset(db.pool, await firstLoad(3, scoresCsv(3)));
    const first = await db.pool.query(`SELECT id FROM score ORDER BY id`);
    expect(first.rows.map((r: { id: string }) => Number(r.id))).toEqual([1, 2, 3, 4, 5, 6]);
    // a later import merges through staging, its new rows numbered by the column's default
    await importDataset(
      db.pool,
      await datasetDir({ "scores.csv": SCORE_HEADER + "C1,loan,branch,0.5,7,\n" }),
    );
    const { rows } = await db.pool.query(
      `SELECT s.id, ch.external_id AS channel FROM score s
       LEFT JOIN channel ch ON ch.id = s.channel_id ORDER BY s.id DESC LIMIT 1`,
    );
    expect(rows).toEqual([{ id: "7", channel: "branch" }]);
  });

  it("writes nothing when the last customer row is bad or repeats an id", async () => {
    const scores = scoresCsv(500);
    const customers = customersCsv(500);
    const dir = (extra: string) =>
      datasetDir({
        "channels.csv": CHANNELS,
        "offers.csv": OFFERS,
        "customers.csv": customers + extra,
        "scores.csv": scores,
      });
    expect(await expectNothingWritten(await dir("C501,mass,x\n"))).toEqual([
      problem("customers.csv", 502, null, "expected 2 fields as in the header, found 3"),
    ]);
    expect(await expectNothingWritten(await dir("C7,mass\n"))).toEqual([
      problem("customers.csv", 502, "customer_id", 'duplicate customer_id "C7" (first on line 8)'),
    ]);
    expect(await stagingLeftovers()).toEqual([]);
  });

  it("writes nothing when the last score row has a bad cell, an unknown customer or a duplicate key", async () => {
    const scores = scoresCsv(500);
    // 1 header + 2 rows per customer: the added row is on line 1002
    expect(
      await expectNothingWritten(await firstLoad(500, scores + "C500,card,mail,0.5,oops,\n")),
    ).toEqual([problem("scores.csv", 1002, "value", 'not a number: "oops"')]);
    expect(
      await expectNothingWritten(await firstLoad(500, scores + "C501,card,mail,0.5,1,\n")),
    ).toEqual([
      problem(
        "scores.csv",
        1002,
        "customer_id",
        'unknown customer "C501": not in customers.csv nor in the database',
      ),
    ]);
    expect(
      await expectNothingWritten(await firstLoad(500, scores + "C3,loan,mail,0.1,1,\n")),
    ).toEqual([
      problem(
        "scores.csv",
        1002,
        null,
        'second score row for customer "C3", offer "loan" and channel "mail" (first on line 7)',
      ),
    ]);
    expect(await stagingLeftovers()).toEqual([]);
  });

  it("leaves nothing behind when its connection is killed before COMMIT", async () => {
    const dir = await firstLoad(2000, scoresCsv(2000));
    const before = await snapshot(db.pool);
    // the test holds the revision row: the import, done with every file, waits for it
    const holder = await db.pool.connect();
    const killer = new Pool({ connectionString: db.url, max: 1 });
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT * FROM data_revision FOR UPDATE");
      const importing = importDataset(db.pool, dir).then(
        () => null,
        (e: unknown) => e,
      );
      const pid = await waitForBlockedBackend(killer);
      await killer.query("SELECT pg_terminate_backend($1)", [pid]);
      const failure = await importing;
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toMatch(/terminat/);
    } finally {
      await holder.query("ROLLBACK");
      holder.release();
      await killer.end();
    }
    expect(await snapshot(db.pool)).toEqual(before);
    expect(await schemaOf(db.pool)).toEqual(schema);
    expect(await stagingLeftovers()).toEqual([]);
  });
});

/** The backend of the import once it waits for the row lock the test holds. */
async function waitForBlockedBackend(pool: Pool): Promise<number> {
  for (;;) {
    const { rows } = await pool.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock'
         AND query LIKE 'UPDATE data_revision%'`,
    );
    if (rows.length > 0) return rows[0]!.pid;
    await new Promise((r) => setTimeout(r, 20));
  }
}
