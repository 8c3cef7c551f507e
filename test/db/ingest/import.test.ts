// importDataset() against PostgreSQL: the exact rows a small import writes (CSV edge cases
// included), idempotent re-import, updates of changed rows only, and partial imports.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { importDataset } from "../../../src/ingest";
import { createTestDatabase, type TestDatabase } from "../../support/db";
import {
  CHANNELS,
  FIXTURES,
  OFFERS,
  datasetDir,
  removeDatasetDirs,
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
});

const BASIC = join(FIXTURES, "basic");

async function fingerprint(path: string): Promise<{ sha256: string; bytes: number }> {
  const bytes = await readFile(path);
  return { sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.length };
}

async function rows(sql: string): Promise<unknown[]> {
  return (await db.pool.query(sql)).rows;
}

const SCORES_BY_EXTERNAL_ID = `
  SELECT c.external_id AS customer, o.external_id AS offer, ch.external_id AS channel,
         s.probability, s.value, s.cost, s.attributes
  FROM score s JOIN customer c ON c.id = s.customer_id JOIN offer o ON o.id = s.offer_id
  LEFT JOIN channel ch ON ch.id = s.channel_id
  ORDER BY 1, 2, 3 NULLS FIRST`;

describe("importDataset", () => {
  it("writes exactly the rows of the files (BOM, CRLF, quotes, line breaks, extra columns)", async () => {
    const summary = await importDataset(db.pool, BASIC);
    const read = async (file: string) => ({
      file,
      ...(await fingerprint(join(BASIC, file))),
      skipped: false,
    });
    expect(summary.files.map(({ seconds: _s, ...f }) => f)).toEqual([
      { ...(await read("channels.csv")), rowsRead: 3, inserted: 3, updated: 0, unchanged: 0 },
      { ...(await read("offers.csv")), rowsRead: 3, inserted: 3, updated: 0, unchanged: 0 },
      { ...(await read("customers.csv")), rowsRead: 3, inserted: 3, updated: 0, unchanged: 0 },
      { ...(await read("scores.csv")), rowsRead: 5, inserted: 5, updated: 0, unchanged: 0 },
    ]);
    expect(summary.rowsRead).toBe(14);

    expect(
      await rows(`SELECT external_id, name, cost_per_contact, capacity, response_factor, attributes
                  FROM channel ORDER BY id`),
    ).toEqual([
      {
        external_id: "mail",
        name: "Direct mail, bulk",
        cost_per_contact: 1.25,
        capacity: null,
        response_factor: 1,
        attributes: { region: "north" },
      },
      {
        external_id: "call",
        name: "Call centre",
        cost_per_contact: 2,
        capacity: 500,
        response_factor: 1.6,
        attributes: null,
      },
      {
        external_id: "branch",
        name: "Branch\r\n(in person)",
        cost_per_contact: 3,
        capacity: 100,
        response_factor: 2.2,
        attributes: { region: "south" },
      },
    ]);
    expect(
      await rows(`SELECT external_id, name, category, min_volume, max_volume, all_channels, attributes
                  FROM offer ORDER BY id`),
    ).toEqual([
      {
        external_id: "card",
        name: "Gold card",
        category: "cards",
        min_volume: 10,
        max_volume: 100,
        all_channels: false,
        attributes: { priority: "high" },
      },
      {
        external_id: "loan",
        name: "Personal loan",
        category: "lending",
        min_volume: 0,
        max_volume: null,
        all_channels: true,
        attributes: null,
      },
      {
        external_id: "save",
        name: 'Savings "plus"',
        category: "day_to_day",
        min_volume: 0,
        max_volume: 50,
        all_channels: false,
        attributes: null,
      },
    ]);
    expect(
      await rows(`SELECT o.external_id AS offer, c.external_id AS channel
                  FROM offer_channel oc JOIN offer o ON o.id = oc.offer_id
                  JOIN channel c ON c.id = oc.channel_id ORDER BY 1, 2`),
    ).toEqual([
      { offer: "card", channel: "branch" },
      { offer: "card", channel: "mail" },
      { offer: "save", channel: "call" },
    ]);
    expect(
      await rows(`SELECT external_id, segment, do_not_contact, attributes,
                         created_at = updated_at AS untouched
                  FROM customer ORDER BY external_id`),
    ).toEqual([
      {
        external_id: "C1",
        segment: "mass",
        do_not_contact: false,
        attributes: { age_band: "25-34" },
        untouched: true,
      },
      {
        external_id: "C2",
        segment: "premium",
        do_not_contact: true,
        attributes: { age_band: "35-44", note: 'likes "mail"\nprefers mornings' },
        untouched: true,
      },
      // " C3 " trimmed; an empty segment is NULL, an empty do_not_contact false
      {
        external_id: "C3",
        segment: null,
        do_not_contact: false,
        attributes: { note: "x" },
        untouched: true,
      },
    ]);
    expect(await rows(SCORES_BY_EXTERNAL_ID)).toEqual([
      {
        customer: "C1",
        offer: "card",
        channel: null,
        probability: 0.1,
        value: 100,
        cost: null,
        attributes: { model: "m1" },
      },
      {
        customer: "C1",
        offer: "card",
        channel: "mail",
        probability: 0.2,
        value: 100,
        cost: 1.5,
        attributes: { model: "m1" },
      },
      {
        customer: "C2",
        offer: "loan",
        channel: null,
        probability: 0.05,
        value: -20,
        cost: null,
        attributes: null,
      },
      {
        customer: "C3",
        offer: "card",
        channel: null,
        probability: 0,
        value: 0.5,
        cost: null,
        attributes: null,
      },
      {
        customer: "C3",
        offer: "save",
        channel: "call",
        probability: 1,
        value: 0,
        cost: 0,
        attributes: null,
      },
    ]);
    const runs = await rows(
      `SELECT id, directory, finished_at >= started_at AS finished, summary FROM import_run`,
    );
    expect(runs).toEqual([
      {
        id: summary.runId,
        directory: BASIC,
        finished: true,
        summary: expect.objectContaining({ rowsRead: 14 }) as unknown,
      },
    ]);
  });

  it("changes nothing when the same files are imported again", async () => {
    await importDataset(db.pool, BASIC);
    const before = await snapshot(db.pool);
    const again = await importDataset(db.pool, BASIC);
    expect(again.files.map((f) => [f.file, f.inserted, f.updated, f.unchanged])).toEqual([
      ["channels.csv", 0, 0, 3],
      ["offers.csv", 0, 0, 3],
      ["customers.csv", 0, 0, 3],
      ["scores.csv", 0, 0, 5],
    ]);
    // the same bytes at the same dataset revision: not even read
    expect(again.files.map((f) => f.skipped)).toEqual([true, true, true, true]);
    const after = await snapshot(db.pool);
    expect({ ...after, import_run: [] }).toEqual({ ...before, import_run: [] });
    expect(after.import_run).toHaveLength(2);
  });

  it("reads a file again when its bytes or the data behind them changed", async () => {
    await importDataset(db.pool, BASIC);
    // a file of the same name with other bytes is read (and merged)
    const edited = await datasetDir({
      "customers.csv": "customer_id,segment\nC1,mass\nC2,mass\nC3,youth\nC9,mass\n",
    });
    const changed = await importDataset(db.pool, edited);
    expect(changed.files.map((f) => [f.file, f.skipped, f.inserted])).toEqual([
      ["customers.csv", false, 1],
    ]);
    // that import moved the revision: the basic files are read again, though their bytes are
    // the ones recorded (customers.csv puts back what the edit changed)
    const again = await importDataset(db.pool, BASIC);
    expect(again.files.map((f) => [f.file, f.skipped, f.inserted + f.updated])).toEqual([
      ["channels.csv", false, 0],
      ["offers.csv", false, 0],
      ["customers.csv", false, 3],
      ["scores.csv", false, 0],
    ]);
    // and then, at the revision that import left, skipped
    const third = await importDataset(db.pool, BASIC);
    expect(third.files.map((f) => [f.file, f.skipped, f.rowsRead, f.unchanged])).toEqual([
      ["channels.csv", true, 3, 3],
      ["offers.csv", true, 3, 3],
      ["customers.csv", true, 3, 3],
      ["scores.csv", true, 5, 5],
    ]);
    expect(third.revision).toBe(again.revision);
  });

  it("updates changed rows only, and only their updated_at", async () => {
    await importDataset(db.pool, BASIC);
    const before = await snapshot(db.pool);
    const dir = await datasetDir({
      "channels.csv":
        'channel_id,name,cost_per_contact,capacity,response_factor,region\nmail,"Direct mail, bulk",1.5,,,north\n',
      "offers.csv":
        'offer_id,name,category,min_volume,max_volume,channels,priority\ncard,Gold card,cards,10,100,mail,high\nsave,"Savings ""plus""",day_to_day,0,50,call,\n',
      "customers.csv":
        "customer_id,segment,do_not_contact,age_band\nC1,mass,false,25-34\nC2,mass,true,35-44\nC4,youth,,\n",
      "scores.csv":
        "customer_id,offer_id,channel_id,probability,value,cost,model\nC1,card,,0.3,100,,m1\nC1,card,mail,0.2,100,1.5,m1\nC4,loan,,0.5,10,,\n",
    });
    const summary = await importDataset(db.pool, dir);
    expect(summary.files.map((f) => [f.file, f.inserted, f.updated, f.unchanged])).toEqual([
      ["channels.csv", 0, 1, 0],
      ["offers.csv", 0, 1, 1],
      ["customers.csv", 1, 1, 1],
      ["scores.csv", 1, 1, 1],
    ]);
    const after = await snapshot(db.pool);
    type Row = { external_id: string; updated_at: Date; created_at: Date };
    const moved = (table: string) =>
      (after[table] as Row[])
        .filter((r) => {
          const old = (before[table] as Row[]).find((b) => b.external_id === r.external_id);
          return !old || old.updated_at.getTime() !== r.updated_at.getTime();
        })
        .map((r) => r.external_id);
    expect(moved("channel")).toEqual(["mail"]);
    expect(moved("offer")).toEqual(["card"]);
    expect(moved("customer")).toEqual(["C2", "C4"]);
    // the file's channel list replaces the stored one; offers not in the file keep theirs
    expect(
      await rows(`SELECT o.external_id AS offer, c.external_id AS channel
                  FROM offer_channel oc JOIN offer o ON o.id = oc.offer_id
                  JOIN channel c ON c.id = oc.channel_id ORDER BY 1, 2`),
    ).toEqual([
      { offer: "card", channel: "mail" },
      { offer: "save", channel: "call" },
    ]);
    expect(await rows(SCORES_BY_EXTERNAL_ID)).toEqual([
      expect.objectContaining({ customer: "C1", offer: "card", channel: null, probability: 0.3 }),
      expect.objectContaining({ customer: "C1", offer: "card", channel: "mail", probability: 0.2 }),
      expect.objectContaining({ customer: "C2", offer: "loan", probability: 0.05 }),
      expect.objectContaining({ customer: "C3", offer: "card" }),
      expect.objectContaining({ customer: "C3", offer: "save" }),
      expect.objectContaining({ customer: "C4", offer: "loan", probability: 0.5 }),
    ]);
    // channel-less and per-channel rows of C1/card stay two rows; nothing is duplicated
    expect(await rows(`SELECT count(*)::int AS n FROM score`)).toEqual([{ n: 6 }]);
  });

  it("imports a subset of the files against what the database holds", async () => {
    await importDataset(db.pool, BASIC);
    const dir = await datasetDir({
      "scores.csv": "customer_id,offer_id,channel_id,probability,value\nC2,card,branch,0.4,7\n",
      "notes.txt": "not an import file",
    });
    const summary = await importDataset(db.pool, dir);
    expect(summary.files.map((f) => [f.file, f.rowsRead, f.inserted])).toEqual([
      ["scores.csv", 1, 1],
    ]);
    expect(await rows(`SELECT count(*)::int AS n FROM score`)).toEqual([{ n: 6 }]);
    // files: picks from a directory that has them all
    const only = await importDataset(db.pool, BASIC, { files: ["customers.csv"] });
    expect(only.files.map((f) => [f.file, f.unchanged])).toEqual([["customers.csv", 3]]);
  });

  it("reports progress while reading, and once at the end of each file", async () => {
    const seen: { file: string; rows: number }[] = [];
    await importDataset(db.pool, BASIC, {
      onProgress: (p) => {
        expect(p.rowsPerSecond).toBeGreaterThanOrEqual(0);
        seen.push({ file: p.file, rows: p.rows });
      },
    });
    expect(seen).toEqual([
      { file: "channels.csv", rows: 3 },
      { file: "offers.csv", rows: 3 },
      { file: "customers.csv", rows: 3 },
      { file: "scores.csv", rows: 5 },
    ]);
  });

  it("stores a score naming a channel its offer does not allow, which is then not eligible", async () => {
    await importDataset(db.pool, BASIC);
    // "save" allows only "call"
    const dir = await datasetDir({
      "scores.csv": "customer_id,offer_id,channel_id,probability,value\nC1,save,mail,0.5,10\n",
    });
    expect((await importDataset(db.pool, dir)).files[0]!.inserted).toBe(1);
    expect(
      await rows(`SELECT count(*)::int AS n FROM eligible_option e
                  JOIN customer c ON c.id = e.customer_id JOIN offer o ON o.id = e.offer_id
                  WHERE c.external_id = 'C1' AND o.external_id = 'save'`),
    ).toEqual([{ n: 0 }]);
  });

  it("accepts a catalog import without customers or scores", async () => {
    const dir = await datasetDir({ "channels.csv": CHANNELS, "offers.csv": OFFERS });
    const summary = await importDataset(db.pool, dir);
    expect(summary.files.map((f) => [f.file, f.inserted])).toEqual([
      ["channels.csv", 2],
      ["offers.csv", 2],
    ]);
  });
});
