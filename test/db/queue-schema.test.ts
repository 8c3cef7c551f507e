// Several processes (a server and its workers, or two servers) start against one database at once,
// and each brings the queue's schema up to date on start. Their REVOKEs on graphile-worker's
// functions used to collide in the catalog ("tuple concurrently updated"), and a server then
// exited at start.
import { migrateQueueSchema } from "../../src/db/migrate";
import { createTestDatabase, type TestDatabase } from "../support/db";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

/** graphile-worker's functions that a login other than their owner could execute */
async function publicFunctions(): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'graphile_worker' AND has_function_privilege('public', p.oid, 'EXECUTE')`,
  );
  return rows[0]!.n;
}

test("starts that bring the queue's schema up to date at the same moment all succeed", async () => {
  for (let round = 0; round < 5; round++) {
    // as graphile-worker creates them: executable by PUBLIC
    await db.pool.query("GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA graphile_worker TO PUBLIC");
    expect(await publicFunctions()).toBeGreaterThan(0);
    const starts = Array.from({ length: 6 }, () => migrateQueueSchema(db.url));
    const outcomes = await Promise.allSettled(starts);
    expect(outcomes.filter((o) => o.status === "rejected")).toEqual([]);
    expect(await publicFunctions()).toBe(0);
  }
});

test("a start finds the schema current and changes nothing", async () => {
  await migrateQueueSchema(db.url);
  const before = await db.pool.query<{ xmin: string }>(
    `SELECT p.xmin::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'graphile_worker' ORDER BY p.oid`,
  );
  await migrateQueueSchema(db.url);
  const after = await db.pool.query<{ xmin: string }>(
    `SELECT p.xmin::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'graphile_worker' ORDER BY p.oid`,
  );
  expect(after.rows).toEqual(before.rows);
});
