// Large imports: all or nothing when the only bad row is the last one, and the bulk merge (indexes
// and foreign keys dropped, then built again) leaves the schema exactly as the migration made it.
import { join } from "node:path";
import { importDataset } from "../../../src/ingest";
import { BULK_MIN_ROWS } from "../../../src/ingest/bulk-policy";
import { createTestDatabase, type TestDatabase } from "../../support/db";
import {
  CHANNELS,
  FIXTURES,
  OFFERS,
  customersCsv,
  datasetDir,
  removeDatasetDirs,
  indexOids,
  problem,
  rejection,
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

// enough customers (and one score row each) for bulk merges of both tables
const CUSTOMERS = BULK_MIN_ROWS + 1000;

async function expectRejectedUnchanged(dir: string) {
  const before = await snapshot(db.pool);
  const e = await rejection(importDataset(db.pool, dir));
  expect(await snapshot(db.pool)).toEqual(before);
  expect(await schemaOf(db.pool)).toEqual(schema);
  return e;
}

describe("large imports", () => {
  it("writes nothing when only the last row of a 50,000-row file is bad", async () => {
    await importDataset(db.pool, join(FIXTURES, "basic"));
    const scores = scoresCsv(25_000);
    // a cell bad in itself, found while reading
    const badCell = await datasetDir({
      "customers.csv": customersCsv(25_000),
      "scores.csv": scores + "C25000,card,mail,0.5,oops,\n",
    });
    expect((await expectRejectedUnchanged(badCell)).problems).toEqual([
      problem("scores.csv", 50_002, "value", 'not a number: "oops"'),
    ]);
    // a reference only the set-based checks can judge
    const unknown = await datasetDir({
      "customers.csv": customersCsv(25_000),
      "scores.csv": scores + "C25001,card,mail,0.5,1,\n",
    });
    expect((await expectRejectedUnchanged(unknown)).problems).toEqual([
      problem(
        "scores.csv",
        50_002,
        "customer_id",
        'unknown customer "C25001": not in customers.csv nor in the database',
      ),
    ]);
  });

  it("bulk-loads, bulk-updates and re-imports with the schema unchanged", async () => {
    const oids = {
      customer: await indexOids(db.pool, "customer"),
      score: await indexOids(db.pool, "score"),
    };
    const rebuilt = async (table: "customer" | "score") => {
      const now = await indexOids(db.pool, table);
      const changed = now.filter((o) => !oids[table].includes(o)).length;
      oids[table] = now;
      return changed;
    };
    const first = await datasetDir({
      "channels.csv": CHANNELS,
      "offers.csv": OFFERS,
      "customers.csv": customersCsv(CUSTOMERS),
      "scores.csv": scoresCsv(CUSTOMERS, "0.25", 1),
    });
    const loaded = await importDataset(db.pool, first);
    expect(loaded.files.map((f) => [f.file, f.inserted])).toEqual([
      ["channels.csv", 2],
      ["offers.csv", 2],
      ["customers.csv", CUSTOMERS],
      ["scores.csv", CUSTOMERS],
    ]);
    // a first load: scores straight into score, not through staging
    expect(loaded.phases.map((p) => p.phase)).toContain("read + copy scores.csv into score");
    expect(await schemaOf(db.pool)).toEqual(schema);
    // the bulk path rebuilt all but the primary keys: customer (external_id, segment), score (the unique key)
    expect(await rebuilt("customer")).toBe(2);
    expect(await rebuilt("score")).toBe(1);

    // every score and every customer's segment change: large deltas, bulk again
    const changed = await datasetDir({
      "customers.csv": customersCsv(CUSTOMERS, "youth"),
      "scores.csv": scoresCsv(CUSTOMERS, "0.75", 1),
    });
    const updated = await importDataset(db.pool, changed);
    expect(updated.files.map((f) => [f.file, f.inserted, f.updated, f.unchanged])).toEqual([
      ["customers.csv", 0, CUSTOMERS, 0],
      ["scores.csv", 0, CUSTOMERS, 0],
    ]);
    expect(await schemaOf(db.pool)).toEqual(schema);
    expect(await rebuilt("customer")).toBe(2);
    expect(await rebuilt("score")).toBe(1);
    const { rows: values } = await db.pool.query(
      `SELECT c.segment, s.probability, count(*)::int AS n
       FROM score s JOIN customer c ON c.id = s.customer_id GROUP BY 1, 2`,
    );
    expect(values).toEqual([{ segment: "youth", probability: 0.75, n: CUSTOMERS }]);

    // nothing changes: nothing is written or rebuilt
    const before = await snapshot(db.pool);
    const again = await importDataset(db.pool, changed);
    expect(again.files.map((f) => [f.inserted, f.updated])).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect({ ...(await snapshot(db.pool)), import_run: [] }).toEqual({
      ...before,
      import_run: [],
    });
    expect(await rebuilt("customer")).toBe(0);
    expect(await rebuilt("score")).toBe(0);
  });

  it("finds a duplicate among bulk-loaded rows and rolls the index builds back", async () => {
    const base = {
      "channels.csv": CHANNELS,
      "offers.csv": OFFERS,
      "customers.csv": customersCsv(CUSTOMERS),
    };
    const dupScore = await datasetDir({
      ...base,
      "scores.csv": scoresCsv(CUSTOMERS, "0.25", 1) + "C7,card,,0.1,1,\n",
    });
    expect((await expectRejectedUnchanged(dupScore)).problems).toEqual([
      problem(
        "scores.csv",
        CUSTOMERS + 2,
        null,
        'second score row without a channel for customer "C7" and offer "card" (first on line 8)',
      ),
    ]);
    const dupCustomer = await datasetDir({
      ...base,
      "customers.csv": customersCsv(CUSTOMERS) + "C5,mass\n",
    });
    expect((await expectRejectedUnchanged(dupCustomer)).problems).toEqual([
      problem(
        "customers.csv",
        CUSTOMERS + 2,
        "customer_id",
        'duplicate customer_id "C5" (first on line 6)',
      ),
    ]);
  });
});
