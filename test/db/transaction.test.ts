import { createPrisma, type PrismaClient } from "../../src/db/prisma";
import { createDb, type Db } from "../../src/services/db-handles";
import { createTestDatabase, type TestDatabase } from "../support/db";

let db: TestDatabase;
let prisma: PrismaClient;
let handle: Db;
beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url);
  handle = createDb(db.pool, prisma);
  await db.pool.query("CREATE TABLE tx_probe (n int)");
});
afterAll(async () => {
  await prisma.$disconnect();
  await db.drop();
});

const setting = async (client: { query: Db["pool"]["query"] }, name: string) =>
  (await client.query<{ v: string }>(`SELECT current_setting('${name}') AS v`)).rows[0]!.v;

describe("the Db handle's transactions", () => {
  it("commits what fn wrote when it resolves", async () => {
    await handle.tx((c) => c.query("INSERT INTO tx_probe VALUES (1)"));
    const { rows } = await db.pool.query("SELECT n FROM tx_probe WHERE n = 1");
    expect(rows).toHaveLength(1);
  });

  it("rolls back what fn wrote when it throws, and rethrows", async () => {
    await expect(
      handle.tx(async (c) => {
        await c.query("INSERT INTO tx_probe VALUES (2)");
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    const { rows } = await db.pool.query("SELECT n FROM tx_probe WHERE n = 2");
    expect(rows).toHaveLength(0);
  });

  it("runs at the server's default without options", async () => {
    const [isolation, readOnly] = await handle.tx(async (c) => [
      await setting(c, "transaction_isolation"),
      await setting(c, "transaction_read_only"),
    ]);
    expect(isolation).toBe("read committed");
    expect(readOnly).toBe("off");
  });

  it("opens a read-only snapshot when asked", async () => {
    const [isolation, readOnly] = await handle.tx(
      async (c) => [
        await setting(c, "transaction_isolation"),
        await setting(c, "transaction_read_only"),
      ],
      { isolation: "REPEATABLE READ", readOnly: true },
    );
    expect(isolation).toBe("repeatable read");
    expect(readOnly).toBe("on");
    await expect(
      handle.tx((c) => c.query("INSERT INTO tx_probe VALUES (3)"), { readOnly: true }),
    ).rejects.toThrow(/read-only transaction/);
  });

  it("returns every connection to the pool", async () => {
    await handle.tx(async () => undefined).catch(() => undefined);
    expect(db.pool.totalCount - db.pool.idleCount).toBe(0);
  });
});
