// The migrated schema: constraints the database itself enforces, and the eligible_option view's
// reading of the data contract, checked row by row.
import { createTestDatabase, type TestDatabase } from "../support/db";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe("schema", () => {
  it("keeps constraint-set versions immutable", async () => {
    await db.pool.query(`INSERT INTO constraint_set (id, name) VALUES (1, 'q3')`);
    await db.pool.query(
      `INSERT INTO constraint_set_version (constraint_set_id, version, definition) VALUES (1, 1, '{"name":"q3"}')`,
    );
    await expect(
      db.pool.query(`UPDATE constraint_set_version SET definition = '{}'`),
    ).rejects.toThrow(/immutable/);
    await expect(db.pool.query(`DELETE FROM constraint_set_version`)).rejects.toThrow(/immutable/);
    const { rows } = await db.pool.query(`SELECT definition FROM constraint_set_version`);
    expect(rows).toEqual([{ definition: { name: "q3" } }]);
  });

  it("allows one channel-less score row per customer and offer, besides per-channel rows", async () => {
    await db.pool.query(`
      INSERT INTO channel (id, external_id, cost_per_contact) VALUES (101, 'mail', 1);
      INSERT INTO offer (id, external_id) VALUES (201, 'card');
      INSERT INTO customer (id, external_id) VALUES (301, 'c1');
      INSERT INTO score (customer_id, offer_id, channel_id, probability, value) VALUES
        (301, 201, NULL, 0.1, 10), (301, 201, 101, 0.2, 10);`);
    await expect(
      db.pool.query(
        `INSERT INTO score (customer_id, offer_id, channel_id, probability, value) VALUES (301, 201, NULL, 0.3, 1)`,
      ),
    ).rejects.toThrow(/score_customer_offer_channel_key/);
    await db.pool.query(
      `DELETE FROM score; DELETE FROM customer; DELETE FROM offer; DELETE FROM channel;`,
    );
  });

  it("derives eligible options exactly as the data contract says", async () => {
    await db.pool.query(`
      INSERT INTO channel (id, external_id, cost_per_contact, response_factor) VALUES
        (1, 'mail', 1.0, 1.0), (2, 'call', 1.5, 2.0), (3, 'branch', 3.0, 4.0);
      INSERT INTO offer (id, external_id, all_channels) VALUES (1, 'any', true), (2, 'restricted', false);
      INSERT INTO offer_channel (offer_id, channel_id) VALUES (2, 1), (2, 3);
      INSERT INTO customer (id, external_id, do_not_contact) VALUES (1, 'a', false), (2, 'b', true), (3, 'c', false);
      INSERT INTO score (customer_id, offer_id, channel_id, probability, value, cost) VALUES
        (1, 1, NULL, 0.3, 100, NULL),  -- every channel; branch capped at probability 1
        (1, 1, 2, 0.5, 100, 2.5),      -- overrides the call channel only
        (1, 2, NULL, 0.1, 50, NULL),   -- restricted offer: mail and branch only
        (1, 2, 2, 0.9, 50, NULL),      -- names a channel the offer does not allow: not eligible
        (2, 1, NULL, 0.9, 100, NULL),  -- do-not-contact: nothing
        (3, 2, 3, 0.2, 10, 0.75);      -- channel-specific row only`);
    const { rows } = await db.pool.query(
      `SELECT customer_id, offer_id, channel_id, probability, value, expected_return, cost
       FROM eligible_option ORDER BY 1, 2, 3`,
    );
    expect(rows).toEqual([
      {
        customer_id: 1,
        offer_id: 1,
        channel_id: 1,
        probability: 0.3,
        value: 100,
        expected_return: 30,
        cost: 1,
      },
      {
        customer_id: 1,
        offer_id: 1,
        channel_id: 2,
        probability: 0.5,
        value: 100,
        expected_return: 50,
        cost: 2.5,
      },
      {
        customer_id: 1,
        offer_id: 1,
        channel_id: 3,
        probability: 1,
        value: 100,
        expected_return: 100,
        cost: 3,
      },
      {
        customer_id: 1,
        offer_id: 2,
        channel_id: 1,
        probability: 0.1,
        value: 50,
        expected_return: 5,
        cost: 1,
      },
      {
        customer_id: 1,
        offer_id: 2,
        channel_id: 3,
        probability: 0.4,
        value: 50,
        expected_return: 20,
        cost: 3,
      },
      {
        customer_id: 3,
        offer_id: 2,
        channel_id: 3,
        probability: 0.2,
        value: 10,
        expected_return: 2,
        cost: 0.75,
      },
    ]);
  });
});
