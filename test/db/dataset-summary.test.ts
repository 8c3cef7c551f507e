import { datasetSummary } from "../../src/services/dataset-summary";
import { createTestDatabase, type TestDatabase } from "../support/db";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  // Channel database ids run against external-id order, and 'card' goes through one channel
  // only, so a summary that mixed up database and external ids would show it.
  await db.pool.query(`
    INSERT INTO channel (id, external_id, name, cost_per_contact, capacity, response_factor) VALUES
      (7, 'mail', 'Mail', 1.0, NULL, 1.0), (5, 'branch', NULL, 3.0, 40, 2.0);
    INSERT INTO offer (id, external_id, name, category, min_volume, max_volume, all_channels) VALUES
      (3, 'loan', 'Loan', 'credit', 2, NULL, true), (9, 'card', NULL, NULL, 0, 10, false);
    INSERT INTO offer_channel (offer_id, channel_id) VALUES (9, 7);
    INSERT INTO customer (id, external_id, segment, do_not_contact) VALUES
      (10, 'a', 'young', false), (11, 'b', NULL, true), (12, 'c', 'young', false);
    INSERT INTO score (customer_id, offer_id, channel_id, probability, value, cost) VALUES
      (12, 9, NULL, 0.25, 8, NULL), (10, 3, 5, 0.5, 100, 2.5), (10, 9, NULL, 0.1, 10, 0.5);`);
});
afterAll(async () => {
  await db.drop();
});

describe("datasetSummary", () => {
  it("lists channels and offers by external id, with each offer's channels and option counts", async () => {
    const s = await datasetSummary(db.pool);
    expect(s.customers).toBe(3);
    expect(s.doNotContact).toBe(1);
    expect(s.scoreRows).toBe(3);
    expect(
      s.channels.map((c) => [c.id, c.name, c.costPerContact, c.capacity, c.responseFactor]),
    ).toEqual([
      ["branch", null, 3, 40, 2],
      ["mail", "Mail", 1, null, 1],
    ]);
    expect(
      s.offers.map((o) => [o.id, o.name, o.category, o.minVolume, o.maxVolume, o.channels]),
    ).toEqual([
      ["card", null, null, 0, 10, ["mail"]],
      ["loan", "Loan", "credit", 2, null, ["branch", "mail"]],
    ]);
    // Per channel, the options the eligible_option view holds for it; the totals agree.
    expect(s.channels.map((c) => c.eligibleOptions)).toEqual([1, 2]);
    expect(s.eligibleOptions).toBe(3);
    expect(s.offers.map((o) => o.eligibleCustomers)).toEqual([2, 1]);
  });
});
