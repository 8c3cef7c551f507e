// The embedded PostgreSQL default, on clusters of its own in a temp directory (not the suite's
// shared server): first start, persistence, sharing between users, crash remnants.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Client } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { startEmbedded, type EmbeddedDatabase } from "../../src/db/embedded";

let base: string;
let dir: string;
let pgdata: string;
const messages: string[] = [];
const log = (m: string) => messages.push(m);
const open: EmbeddedDatabase[] = [];
let firstStartMs = 0;

async function start(opts: { port?: number } = {}): Promise<EmbeddedDatabase> {
  const db = await startEmbedded({ dir, log, ...opts });
  open.push(db);
  return db;
}

async function query<T extends object>(url: string, sql: string): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

async function refusesConnections(url: string): Promise<boolean> {
  return query(url, "SELECT 1").then(
    () => false,
    (e: NodeJS.ErrnoException) => e.code === "ECONNREFUSED",
  );
}

function postmasterPid(): number {
  return Number.parseInt(fs.readFileSync(path.join(pgdata, "postmaster.pid"), "utf8"), 10);
}

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), "offerplan-embedded-"));
  // As root the server runs as OS user "postgres", which must be able to enter the temp dir.
  fs.chmodSync(base, 0o755);
  dir = path.join(base, "state");
  pgdata = path.join(dir, "pgdata");
});

afterEach(() => {
  messages.length = 0;
});

afterAll(async () => {
  for (const db of open) await db.stop().catch(() => undefined);
  fs.rmSync(base, { recursive: true, force: true });
});

describe("embedded PostgreSQL", () => {
  it("initialises on first use, serves the offerplan database on loopback, takes COPY", async () => {
    const t0 = Date.now();
    const db = await start();
    firstStartMs = Date.now() - t0;
    expect(db.started).toBe(true);
    expect(db.url).toBe(`postgresql://postgres@127.0.0.1:${db.port}/offerplan`);
    expect(messages.some((m) => m.startsWith("initialising"))).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "embedded.json"), "utf8"))).toEqual({
      port: db.port,
      url: db.url,
    });

    const c = new Client({ connectionString: db.url });
    await c.connect();
    try {
      const info = await c.query<{ db: string; listen: string; version: number }>(
        `SELECT current_database() AS db, current_setting('listen_addresses') AS listen,
                current_setting('server_version_num')::int AS version`,
      );
      expect(info.rows[0]).toEqual({ db: "offerplan", listen: "127.0.0.1", version: 180004 });

      await c.query("CREATE TABLE item (id int PRIMARY KEY, name text NOT NULL, price numeric)");
      const rows = Readable.from(
        (function* () {
          for (let i = 1; i <= 10_000; i++) yield `${i}\titem ${i}\t${(i / 100).toFixed(2)}\n`;
        })(),
      );
      await pipeline(rows, c.query(copyFrom("COPY item (id, name, price) FROM STDIN")));
      const sum = await c.query<{ n: number; total: string }>(
        "SELECT count(*)::int AS n, sum(price)::text AS total FROM item",
      );
      expect(sum.rows[0]).toEqual({ n: 10_000, total: "500050.00" });
    } finally {
      await c.end();
    }

    await db.stop();
    await db.stop(); // idempotent
    expect(fs.existsSync(path.join(pgdata, "postmaster.pid"))).toBe(false);
    expect(await refusesConnections(db.url)).toBe(true);
  });

  it("reuses the cluster: data persists and the second start is much faster", async () => {
    const t0 = Date.now();
    const db = await start();
    const ms = Date.now() - t0;
    expect(db.started).toBe(true);
    expect(messages.some((m) => m.startsWith("initialising"))).toBe(false);
    expect(ms).toBeLessThan(firstStartMs / 2);
    expect(await query(db.url, "SELECT count(*)::int AS n FROM item")).toEqual([{ n: 10_000 }]);
    await db.stop();
  });

  it("moves to another port when the remembered one is taken, and remembers that", async () => {
    const remembered = JSON.parse(fs.readFileSync(path.join(dir, "embedded.json"), "utf8")).port;
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(remembered, "127.0.0.1", r));
    try {
      const db = await start();
      expect(db.port).not.toBe(remembered);
      expect(messages).toContain(`port ${remembered} is in use, using ${db.port}`);
      await db.stop();
      const again = await start();
      expect(again.port).toBe(db.port);
      await again.stop();
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it("shares a running server and stops it only when the last user leaves", async () => {
    const a = await start();
    const b = await start();
    expect(a.started).toBe(true);
    expect(b.started).toBe(false);
    expect(b.url).toBe(a.url);
    await a.stop();
    expect(messages).toContain("embedded PostgreSQL left running for 1 other user(s)");
    expect(await query(b.url, "SELECT 1 AS ok")).toEqual([{ ok: 1 }]);
    await b.stop();
    expect(await refusesConnections(b.url)).toBe(true);
  });

  it("keeps the server of a crashed process running for the others and adopts it", async () => {
    // Another process starts the server and dies without stopping it (kill -9).
    const script = `
      require("tsx/cjs");
      require(${JSON.stringify(path.resolve(__dirname, "../../src/db/embedded.ts"))})
        .startEmbedded({ dir: ${JSON.stringify(dir)} })
        .then((db) => { process.stdout.write(db.url + "\\n"); setInterval(() => {}, 1000); });`;
    const child = spawn(process.execPath, ["-e", script], {
      cwd: path.resolve(__dirname, "../.."),
      stdio: ["ignore", "pipe", "inherit"],
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => resolve(d.toString().trim()));
      child.on("exit", (code) => reject(new Error(`child exited with ${code}`)));
    });
    const db = await start();
    expect(db.started).toBe(false);
    expect(db.url).toBe(url);
    child.kill("SIGKILL");
    await until(() => child.exitCode !== null || child.signalCode !== null);
    expect(await query(db.url, "SELECT 1 AS ok")).toEqual([{ ok: 1 }]);
    // The dead process's lease does not count: the last live user stops the server.
    await db.stop();
    expect(messages.some((m) => m.startsWith("embedded PostgreSQL stopped"))).toBe(true);
    expect(await refusesConnections(url)).toBe(true);
  });

  it("starts over a postmaster.pid left by a crashed server", async () => {
    // Crashed postmaster: its pid is gone.
    const db = await start();
    const pid = postmasterPid();
    process.kill(pid, "SIGKILL");
    await until(() => !alive(pid));
    await db.stop();
    expect(fs.existsSync(path.join(pgdata, "postmaster.pid"))).toBe(true);
    const recovered = await start();
    expect(recovered.started).toBe(true);
    expect(messages).toContain(`removed stale postmaster.pid (pid ${pid} is not running)`);
    expect(await query(recovered.url, "SELECT count(*)::int AS n FROM item")).toEqual([
      { n: 10_000 },
    ]);

    // After a container restart the old pid may belong to another program (here: pid 1).
    const remnant = fs.readFileSync(path.join(pgdata, "postmaster.pid"), "utf8");
    await recovered.stop();
    messages.length = 0;
    fs.writeFileSync(path.join(pgdata, "postmaster.pid"), remnant.replace(/^\d+/, "1"));
    const again = await start();
    expect(messages).toContain("removed stale postmaster.pid (pid 1 belongs to another program)");
    await again.stop();

    // A postmaster.pid that a crash left empty.
    const pidFile = path.join(pgdata, "postmaster.pid");
    fs.writeFileSync(pidFile, "");
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(pidFile, old, old);
    const third = await start();
    expect(messages).toContain("removed unreadable postmaster.pid");
    await third.stop();
  });
});
