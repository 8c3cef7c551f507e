// Which processes are alive: each process that runs plans or analyses beats its runner_process
// row from a thread of its own, so that a main thread busy in a long optimisation still beats,
// and only a process that is gone (killed, crashed, its machine lost) stops. Runs name their
// process (plan.run_by); services/recovery.ts puts the runs of a silent process back on the
// queue or fails them.
//
// The same thread watches the runs the main thread is executing (watchRun): a cancellation is a
// row update the main thread cannot see while the optimiser holds it, so the thread looks for it
// and raises a flag in shared memory, which the optimiser's shouldStop reads between stretches of
// work (src/optimize/stop.ts).
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
/**
 * How often the thread asks whether the watched runs are still this process's: a cancel must
 * stop a run within 2 s, and this leaves 1.5 s for the query on a busy server and for the
 * optimiser's next poll (≤ 0.25 s apart). One indexed query, and only while a run is watched.
 */
export const CANCEL_CHECK_MS = 500;
/** The channel a cancel notifies on; every process's heartbeat thread listens. */
export const CANCEL_CHANNEL = "offerplan_run_cancelled";
/** Runs one process can watch at once (a worker runs one or two); more are left unwatched. */
const WATCH_SLOTS = 64;

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
      // a cancel says so at once (NOTIFY in its transaction): check then, not at the next tick
      client.on("notification", () => { check(); });
      await client.connect();
      await client.query("LISTEN " + workerData.cancelChannel);
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

// watched runs by slot; a flag holds the generation of the watch it stopped, so a late answer
// about an earlier run in the same slot never stops the next one
const flags = new Int32Array(workerData.flags);
const watched = new Map();
parentPort.on("message", (m) => {
  if (m.watch) watched.set(m.watch.slot, m.watch);
  else if (m.unwatch !== undefined && watched.get(m.unwatch.slot)?.gen === m.unwatch.gen)
    watched.delete(m.unwatch.slot);
});
let checking = false;
let again = false;
async function check() {
  if (checking) { again = true; return; }
  if (watched.size === 0 || !client) return;
  checking = true;
  const runs = [...watched.values()];
  try {
    const r = await client.query(
      "SELECT 'plan' AS t, id FROM plan WHERE id = ANY($1::int[]) AND status = 'RUNNING' AND run_by = $3 " +
      "UNION ALL SELECT 'analysis', id FROM analysis WHERE id = ANY($2::int[]) AND status = 'RUNNING' AND run_by = $3",
      [runs.filter((w) => w.table === "plan").map((w) => w.id),
       runs.filter((w) => w.table === "analysis").map((w) => w.id), workerData.id]);
    const live = new Set(r.rows.map((x) => x.t + ":" + x.id));
    for (const w of runs) {
      if (!live.has(w.table + ":" + w.id) && watched.get(w.slot) === w) Atomics.store(flags, w.slot, w.gen);
    }
  } catch {
    // the next beat reconnects; the run is checked again then
  } finally {
    checking = false;
    if (again) { again = false; check(); }
  }
}
setInterval(check, workerData.checkMs);
`;

let current: Promise<string> | null = null;

interface Watcher {
  thread: Worker;
  flags: Int32Array;
  used: Uint8Array;
  nextGen: number;
}
let watcher: Watcher | null = null;

/** A run this process executes, watched for cancellation by the heartbeat thread. */
export interface RunWatch {
  /** the run is no longer RUNNING for this process (cancelled, or taken over): one atomic read */
  cancelled(): boolean;
  release(): void;
}

const UNWATCHED: RunWatch = { cancelled: () => false, release: () => undefined };

/**
 * Watches a run this process has claimed (runnerId must have resolved). Without a free slot the
 * run goes unwatched and is cancelled only at its checkpoints between phases.
 */
export function watchRun(table: "plan" | "analysis", id: number): RunWatch {
  const w = watcher;
  if (!w) throw new Error("watchRun: the heartbeat has not started (call runnerId first)");
  const slot = w.used.indexOf(0);
  if (slot < 0) return UNWATCHED;
  w.used[slot] = 1;
  const gen = w.nextGen;
  w.nextGen = gen >= 0x7fffffff ? 1 : gen + 1;
  Atomics.store(w.flags, slot, 0);
  w.thread.postMessage({ watch: { slot, gen, table, id } });
  let released = false;
  return {
    cancelled: () => Atomics.load(w.flags, slot) === gen,
    release: () => {
      if (released) return;
      released = true;
      w.thread.postMessage({ unwatch: { slot, gen } });
      w.used[slot] = 0;
    },
  };
}

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
  const flags = new SharedArrayBuffer(4 * WATCH_SLOTS);
  const thread = new Worker(THREAD, {
    eval: true,
    workerData: {
      id,
      url,
      pid: process.pid,
      host: hostname(),
      everyMs: HEARTBEAT_MS,
      checkMs: CANCEL_CHECK_MS,
      cancelChannel: CANCEL_CHANNEL,
      flags,
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
  watcher = { thread, flags: new Int32Array(flags), used: new Uint8Array(WATCH_SLOTS), nextGen: 1 };
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
