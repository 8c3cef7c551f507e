// Rejected imports: every problem with its file, line, column and reason, whether found while
// reading or by the set-based checks in SQL; and nothing written.
import { join } from "node:path";
import { importDataset } from "../../../src/ingest";
import { createTestDatabase, type TestDatabase } from "../../support/db";
import {
  CHANNELS,
  FIXTURES,
  OFFERS,
  SCORE_HEADER,
  datasetDir,
  removeDatasetDirs,
  problem,
  rejection,
  snapshot,
  truncateAll,
} from "./helpers";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
  await removeDatasetDirs();
});
beforeEach(async () => {
  await truncateAll(db.pool);
  // every rejection below must leave this first import exactly as it is
  await importDataset(db.pool, join(FIXTURES, "basic"));
});

async function rejected(files: Record<string, string>) {
  const before = await snapshot(db.pool);
  const error = await rejection(importDataset(db.pool, await datasetDir(files)));
  expect(await snapshot(db.pool)).toEqual(before);
  return error;
}

describe("rejected imports", () => {
  it("lists the problems of every file, in file order, and writes nothing", async () => {
    const e = await rejected({
      "channels.csv": "channel_id,cost_per_contact\nmail,1\nweb,-2\n",
      "offers.csv": "offer_id,min_volume,max_volume,channels\nnew,5,1,\n",
      "customers.csv": "customer_id,do_not_contact\nC7,maybe\n",
      "scores.csv": SCORE_HEADER + "C1,card,,abc,1,\nC1,loan,,0.5,1,\n",
    });
    expect(e.problems).toEqual([
      problem("channels.csv", 3, "cost_per_contact", "must be >= 0, got -2"),
      problem("offers.csv", 2, "min_volume", "min_volume 5 is greater than max_volume 1"),
      problem("customers.csv", 2, "do_not_contact", 'must be true or false, got "maybe"'),
      problem("scores.csv", 2, "probability", 'not a number: "abc"'),
    ]);
    expect(e.total).toBe(4);
  });

  it("rejects a missing required column on the header line", async () => {
    const e = await rejected({ "scores.csv": "customer_id,offer_id,value\nC1,card,1\n" });
    expect(e.problems).toEqual([
      problem("scores.csv", 1, "probability", "required column missing"),
    ]);
  });

  it("rejects duplicate ids within a file", async () => {
    const e = await rejected({
      "channels.csv": "channel_id,cost_per_contact\nfax,1\nsms,1\nfax,2\n",
      "offers.csv": "offer_id\nx\nx\n",
    });
    expect(e.problems).toEqual([
      problem("channels.csv", 4, "channel_id", 'duplicate channel_id "fax" (first on line 2)'),
      problem("offers.csv", 3, "offer_id", 'duplicate offer_id "x" (first on line 2)'),
    ]);
  });

  it("rejects duplicate customers, new or already stored", async () => {
    const e = await rejected({ "customers.csv": "customer_id\nC9\nC1\nC9\n C1\n" });
    expect(e.problems).toEqual([
      problem("customers.csv", 4, "customer_id", 'duplicate customer_id "C9" (first on line 2)'),
      problem("customers.csv", 5, "customer_id", 'duplicate customer_id "C1" (first on line 3)'),
    ]);
    await truncateAll(db.pool);
    // into an empty table the unique index finds them
    const first = await rejection(
      importDataset(db.pool, await datasetDir({ "customers.csv": "customer_id\nA\nB\nA\n" })),
    );
    expect(first.problems).toEqual([
      problem("customers.csv", 4, "customer_id", 'duplicate customer_id "A" (first on line 2)'),
    ]);
    const left = await snapshot(db.pool);
    expect(Object.values(left).flat()).toEqual([]);
  });

  it("rejects two score rows for one customer, offer and channel, or two without a channel", async () => {
    const files = {
      "scores.csv":
        SCORE_HEADER +
        "C1,loan,,0.1,1,\nC1,loan,mail,0.1,1,\nC1,loan,,0.2,1,\nC1,loan,mail,0.3,1,\nC1,card,,0.1,100,\n",
    };
    const expected = [
      problem(
        "scores.csv",
        4,
        null,
        'second score row without a channel for customer "C1" and offer "loan" (first on line 2)',
      ),
      problem(
        "scores.csv",
        5,
        null,
        'second score row for customer "C1", offer "loan" and channel "mail" (first on line 3)',
      ),
    ];
    // into a filled score table (C1/card/no channel is stored and unchanged: still counted)
    expect((await rejected(files)).problems).toEqual(expected);
    // into an empty one
    await db.pool.query("DELETE FROM score");
    expect((await rejected(files)).problems).toEqual(expected);
  });

  it("rejects references to ids that are neither in the files nor in the database", async () => {
    const e = await rejected({
      "offers.csv": "offer_id,channels\nnew,mail;fax\n",
      "customers.csv": "customer_id\nC8\n",
      "scores.csv":
        SCORE_HEADER +
        "C8,card,,0.1,1,\nC9,card,,0.1,1,\nC1,gold,,0.1,1,\nC1,card,fax,0.1,1,\nC1,new,,0.1,1,\n",
    });
    expect(e.problems).toEqual([
      problem(
        "offers.csv",
        2,
        "channels",
        'unknown channel "fax": not in channels.csv nor in the database',
      ),
      problem(
        "scores.csv",
        4,
        "offer_id",
        'unknown offer "gold": not in offers.csv nor in the database',
      ),
      problem(
        "scores.csv",
        5,
        "channel_id",
        'unknown channel "fax": not in channels.csv nor in the database',
      ),
      problem(
        "scores.csv",
        3,
        "customer_id",
        'unknown customer "C9": not in customers.csv nor in the database',
      ),
    ]);
  });

  it("does not report a row's ids as unknown when the row itself was rejected", async () => {
    const e = await rejected({
      "customers.csv": "customer_id,do_not_contact\nC8,nope\n",
      "scores.csv": SCORE_HEADER + "C8,card,,0.1,1,\n",
    });
    expect(e.problems).toEqual([
      problem("customers.csv", 2, "do_not_contact", 'must be true or false, got "nope"'),
    ]);
  });

  it("keeps the first 100 problems and counts the rest, from the set-based checks too", async () => {
    let scores = SCORE_HEADER;
    for (let i = 0; i < 150; i++) scores += `X${i},card,,0.1,1,\n`;
    const e = await rejected({ "scores.csv": scores });
    expect(e.total).toBe(150);
    expect(e.problems).toHaveLength(100);
    expect(e.problems[0]).toEqual(
      problem(
        "scores.csv",
        2,
        "customer_id",
        'unknown customer "X0": not in customers.csv nor in the database',
      ),
    );
    expect(e.problems[99]!.line).toBe(101);

    let bad = "customer_id,do_not_contact\n";
    for (let i = 0; i < 120; i++) bad += `N${i},x\n`;
    // 120 bad customer rows listed first (file order), then 150 unknown customers only counted
    const both = await rejected({ "customers.csv": bad, "scores.csv": scores });
    expect(both.total).toBe(270);
    expect(both.problems).toHaveLength(100);
    expect(both.problems.every((p) => p.file === "customers.csv")).toBe(true);
  });

  it("rejects files with bad CSV structure, naming the line", async () => {
    const e = await rejected({
      "customers.csv": 'customer_id,segment\nC1,"open\nC2,mass\n',
      "scores.csv": SCORE_HEADER + 'C1,card,,0.1,1\nC1,card,,0.1,1,2,3\nC1,lo"an,,0.1,1,\n',
    });
    expect(e.problems).toEqual([
      problem("customers.csv", 2, null, /not closed before the end of the file/),
      problem("scores.csv", 2, null, "expected 6 fields as in the header, found 5"),
      problem("scores.csv", 3, null, "expected 6 fields as in the header, found 7"),
      problem("scores.csv", 4, null, /quote inside an unquoted field/),
    ]);
  });

  it("numbers lines physically: a quoted line break moves the rows after it down", async () => {
    const e = await rejected({
      "customers.csv":
        'customer_id,note,do_not_contact\r\nC5,"first\r\nsecond\r\nthird",\r\nC6,x,nope\r\n',
    });
    expect(e.problems).toEqual([
      problem("customers.csv", 5, "do_not_contact", 'must be true or false, got "nope"'),
    ]);
  });

  it("rejects a missing directory, an empty one, and a requested file that is missing", async () => {
    const missing = await rejection(importDataset(db.pool, "/nonexistent/dataset"));
    expect(missing.problems).toEqual([
      problem("/nonexistent/dataset", 0, null, "no such directory"),
    ]);
    const empty = await datasetDir({ "readme.txt": "x" });
    expect((await rejection(importDataset(db.pool, empty))).problems).toEqual([
      problem(empty, 0, null, /none of channels.csv, offers.csv, customers.csv, scores.csv/),
    ]);
    const some = await datasetDir({ "channels.csv": CHANNELS, "offers.csv": OFFERS });
    const e = await rejection(
      importDataset(db.pool, some, { files: ["offers.csv", "scores.csv"] }),
    );
    expect(e.problems).toEqual([problem("scores.csv", 0, null, `not found in ${some}`)]);
  });
});
