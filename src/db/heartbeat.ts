// Which processes are alive: each process that runs plans or analyses beats its runner_process
// row from a thread of its own, so that a main thread busy in a long optimisation still beats,
// and only a process that is gone (killed, crashed, its machine lost) stops. Runs name their
// process (plan.run_by); services/recovery.ts puts the runs of a silent process back on the
// queue or fails them.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { Worker } from "node:worker_threads";
import type { Pool } from "pg";

/** How often the thread beats: cheap (one UPDATE), and frequent enough for the bound below. */
export const HEARTBEAT_MS = 2_000;
/**
 * A process that has not beaten for this long is gone. The beats come from their own thread, so
 * only a dead process (or one cut off from the database) misses seven in a row; recovery then
 * ends well within a minute of a crash.
 */
export const DEAD_AFTER_SECONDS = 15;
/** A database that takes longer than this for one INSERT is not one to start a run against. */
const FIRST_BEAT_TIMEOUT_MS = 10_000;

// The thread is plain JavaScript evaluated from a string: it needs only pg, and runs the same
// from the sources (tsx, ts-jest) and from the compiled CLI.
const THREAD = `
const { parentPort, workerData } = require("node:worker_threads");
const { Client } = require(workerData.pgPath);
let client = null;
let announced = false;
async function beat() {
  try {
    if (!client) {
      client = new Client({ connectionString: workerData.url, application_name: "offerplan-heartbeat" });
      client.on("error", () => { client = null; });
      await client.connect();
    }
    await client.query(
      "INSERT INTO runner_process (id, pid, host) VALUES ($1, $2, $3) " +
      "ON CONFLICT (id) DO UPDATE SET beat_at = now()",
      [workerData.id, workerData.pid, workerData.host]);
    if (!announced) { announced = true; parentPort.postMessage("ready"); }
  } catch {
    const c = client; client = null; if (c) c.end().catch(() => {});
  }
}
beat();
setInterval(beat, workerData.everyMs);
`;

let current: Promise<string> | null = null;

/**
 * This process's runner id, its heartbeat started on first use (the first beat written before
 * it resolves, so a run claimed with this id is never mistaken for an orphan).
 */
export function runnerId(pool: Pool): Promise<string> {
  current ??= startHeartbeat(pool).catch((e: unknown) => {
    current = null;
    throw e;
  });
  return current;
}

async function startHeartbeat(pool: Pool): Promise<string> {
  const url = (pool as unknown as { options: { connectionString?: string } }).options
    .connectionString;
  if (!url) throw new Error("the heartbeat needs a pool made from a connection string");
  const id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const thread = new Worker(THREAD, {
    eval: true,
    workerData: {
      id,
      url,
      pid: process.pid,
      host: hostname(),
      everyMs: HEARTBEAT_MS,
      pgPath: require.resolve("pg"),
    },
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error("the heartbeat could not reach the database")),
      FIRST_BEAT_TIMEOUT_MS,
    );
    thread.once("message", () => {
      clearTimeout(timer);
      resolve();
    });
    thread.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
  // The heartbeat never keeps a finished process alive: with no listener left on its port, an
  // unreferenced thread ends with the process (measured: a worker otherwise lingered until the
  // server's SIGKILL a minute later).
  thread.removeAllListeners();
  thread.on("error", () => undefined);
  thread.unref();
  return id;
}

/**
 * Claims a run for this process: a QUEUED one, or one left RUNNING by a process that is gone (its
 * job retried before a recovery sweep put it back). True when the run is now this process's.
 */
export async function claimRun(
  pool: Pool,
  table: "plan" | "analysis",
  id: number,
  runBy: string,
): Promise<boolean> {
  const claimed = await pool.query(
    `UPDATE ${table} SET status = 'RUNNING', started_at = now(), phase = 'load', progress = 0,
            run_by = $2
     WHERE id = $1 AND (status = 'QUEUED' OR (status = 'RUNNING' AND ${silentRunner(table, "$3")}))`,
    [id, runBy, DEAD_AFTER_SECONDS],
  );
  return claimed.rowCount === 1;
}

/**
 * SQL: the run in `alias` (a plan or analysis row) names no process that has beaten within the
 * number of seconds in parameter `seconds`.
 */
export function silentRunner(alias: string, seconds: string): string {
  return `NOT EXISTS (SELECT 1 FROM runner_process w
           WHERE w.id = ${alias}.run_by AND w.beat_at > now() - make_interval(secs => ${seconds}))`;
}
