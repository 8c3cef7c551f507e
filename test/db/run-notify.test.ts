// The server's run change listener against a real database: a NOTIFY on a run's channel wakes
// that run's watchers only, and a read is shared by every caller until the run's next change.
import pino from "pino";
import { RunChangeListener } from "../../src/db/run-notify";
import { createTestDatabase, type TestDatabase } from "../support/db";

let db: TestDatabase;
let listener: RunChangeListener;

beforeAll(async () => {
  db = await createTestDatabase();
  listener = new RunChangeListener({ connectionString: db.url }, pino({ level: "silent" }));
  await listener.start();
});
afterAll(async () => {
  await listener.stop();
  await db.drop();
});

/** resolves at the watcher's next call */
function nextCall(kind: "plan" | "analysis", id: number): { called: Promise<void>; stop(): void } {
  let stop = () => undefined as void;
  const called = new Promise<void>((resolve) => {
    stop = listener.watch(kind, id, resolve);
  });
  return { called, stop };
}

describe("RunChangeListener", () => {
  it("wakes the watchers of the notified run, and only them", async () => {
    const plan7 = nextCall("plan", 7);
    const analysis7 = nextCall("analysis", 7);
    let analysisWoken = false;
    void analysis7.called.then(() => (analysisWoken = true));
    await db.pool.query("SELECT pg_notify('offerplan_plan_updated', '7')");
    await plan7.called;
    // the plan's notification and a later one on the analysis channel arrive in order
    await db.pool.query("SELECT pg_notify('offerplan_analysis_updated', '8')");
    const analysis8 = nextCall("analysis", 8);
    await db.pool.query("SELECT pg_notify('offerplan_analysis_updated', '8')");
    await analysis8.called;
    expect(analysisWoken).toBe(false);
    for (const w of [plan7, analysis7, analysis8]) w.stop();
    expect(listener.watching).toBe(0);
  });

  it("shares a read among callers until the run changes", async () => {
    const w = nextCall("plan", 3);
    let reads = 0;
    const read = async () => ++reads;
    const first = listener.latest("plan", 3, read);
    expect(listener.latest("plan", 3, read)).toBe(first);
    expect(await first).toBe(1);
    await db.pool.query("SELECT pg_notify('offerplan_plan_updated', '3')");
    await w.called;
    expect(await listener.latest("plan", 3, read)).toBe(2);
    expect(await listener.latest("plan", 3, read)).toBe(2);
    w.stop();
    // a run nobody watches keeps nothing
    expect(await listener.latest("plan", 3, read)).toBe(3);
    expect(await listener.latest("plan", 3, read)).toBe(4);
  });
});
