// The real API server as a child process (`offerplan serve`), for end-to-end tests over HTTP.
// It learns its port from the "listening" log line, keeps every log line (API and workers share
// stdout) so tests can wait for what a worker did, and is stopped with SIGTERM like in production.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { Pool } from "pg";
import { CLI_ACTOR } from "../../src/db/audit";
import { createPrisma } from "../../src/db/prisma";
import { createApiKey } from "../../src/services/api-keys";
import { createDb } from "../../src/services/db-handles";

const ROOT = path.resolve(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "offerplan.js");

/** One line of the server's stdout: the parsed pino object, or `{ text }` when not JSON. */
/** The database id in a global id ("Plan:42" → 42), for SQL, logs and the CLI. */
export const dbId = (globalId: string): number => Number(globalId.slice(globalId.indexOf(":") + 1));

export type LogLine = Record<string, unknown> & { msg?: string; text?: string };

export interface GqlError {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown> & { code?: string; field?: string };
}

export interface GqlResponse<T> {
  status: number;
  data: T | null | undefined;
  errors: GqlError[] | undefined;
  /** the body as sent, for checks that no internals leak */
  raw: string;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ApiServer {
  port: number;
  /** the serve process (the API itself; plan workers are its children) */
  pid: number;
  /** http://127.0.0.1:<port> */
  url: string;
  logs: LogLine[];
  /** stderr, for failure messages */
  stderr(): string;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    key?: string,
  ): Promise<GqlResponse<T>>;
  /** the first log line (seen so far or later) matching `pred` */
  waitForLog(pred: (l: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** resolves when the serve process has exited */
  exited: Promise<Exit>;
  /** SIGTERM, then waits for the exit (SIGKILL to the whole process group after timeoutMs) */
  stop(timeoutMs?: number): Promise<Exit>;
}

export interface StartOptions {
  databaseUrl: string;
  workers?: number;
  /** --grace: seconds a running plan may take to finish on shutdown */
  graceSeconds?: number;
  startTimeoutMs?: number;
  extraArgs?: string[];
  /** more environment for the server and its workers */
  env?: Record<string, string>;
}

export async function startApiServer(opts: StartOptions): Promise<ApiServer> {
  const args = [
    BIN,
    "serve",
    "--port",
    "0",
    "--workers",
    String(opts.workers ?? 2),
    "--grace",
    String(opts.graceSeconds ?? 5),
    ...(opts.extraArgs ?? []),
  ];
  // Its own process group, so that a test that fails half-way can still kill the forked
  // workers along with the server.
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: opts.databaseUrl, LOG_LEVEL: "info", ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const logs: LogLine[] = [];
  const waiters: { pred: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];
  let stderr = "";
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (s: string) => {
    stderr += s;
  });
  createInterface({ input: child.stdout! }).on("line", (line) => {
    let parsed: LogLine;
    try {
      const v: unknown = JSON.parse(line);
      parsed = typeof v === "object" && v !== null ? (v as LogLine) : { text: line };
    } catch {
      parsed = { text: line };
    }
    logs.push(parsed);
    for (let i = waiters.length - 1; i >= 0; i--)
      if (waiters[i]!.pred(parsed)) waiters.splice(i, 1)[0]!.resolve(parsed);
  });
  const exited = new Promise<Exit>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );

  const waitForLog = (pred: (l: LogLine) => boolean, timeoutMs = 30_000) => {
    const seen = logs.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise<LogLine>((resolve, reject) => {
      const entry = { pred, resolve: (l: LogLine) => (clearTimeout(timer), resolve(l)) };
      const timer = setTimeout(() => {
        const i = waiters.indexOf(entry);
        if (i >= 0) waiters.splice(i, 1);
        reject(new Error(`no matching server log line within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.push(entry);
    });
  };

  let port: number;
  try {
    const listening = await Promise.race([
      waitForLog((l) => l.msg === "listening", opts.startTimeoutMs ?? 60_000),
      exited.then((e) => {
        throw new Error(`offerplan serve exited early (${e.code ?? e.signal}): ${stderr}`);
      }),
    ]);
    port = Number(listening.port);
  } catch (e) {
    killGroup(child);
    throw e;
  }
  const url = `http://127.0.0.1:${port}`;

  let stopping: Promise<Exit> | null = null;
  return {
    port,
    pid: child.pid!,
    url,
    logs,
    stderr: () => stderr,
    waitForLog,
    exited,
    gql: <T>(query: string, variables?: Record<string, unknown>, key?: string) =>
      postGraphQL<T>(url, query, variables, key),
    stop: (timeoutMs = 60_000) =>
      (stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
        const timer = setTimeout(() => killGroup(child), timeoutMs);
        const exit = await exited;
        clearTimeout(timer);
        return exit;
      })()),
  };
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

export async function postGraphQL<T>(
  baseUrl: string,
  query: string,
  variables?: Record<string, unknown>,
  key?: string,
): Promise<GqlResponse<T>> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key !== undefined) headers.authorization = `Bearer ${key}`;
  const res = await fetch(`${baseUrl}/graphql`, {
    method: "POST",
    headers,
    body: JSON.stringify({ query, variables }),
  });
  const raw = await res.text();
  let body: { data?: T | null; errors?: GqlError[] } = {};
  try {
    body = JSON.parse(raw) as typeof body;
  } catch {
    throw new Error(`HTTP ${res.status}, not JSON: ${raw.slice(0, 500)}`);
  }
  return { status: res.status, data: body.data, errors: body.errors, raw };
}

const run = promisify(execFile);

/** `offerplan apikey create --json` against databaseUrl: the CLI path an operator uses. */
export async function createApiKeyWithCli(
  databaseUrl: string,
  role: "VIEWER" | "ANALYST" | "ADMIN",
  name: string,
): Promise<{ id: number; secret: string }> {
  const { stdout } = await run(
    process.execPath,
    [BIN, "apikey", "create", "--role", role, "--name", name, "--json"],
    { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl } },
  );
  const out = JSON.parse(stdout) as { id: number; secret: string };
  if (typeof out.secret !== "string") throw new Error(`unexpected apikey output: ${stdout}`);
  return { id: out.id, secret: out.secret };
}

/** An API key written straight through the service (no CLI start-up of seconds). */
export async function createApiKeyInDatabase(
  databaseUrl: string,
  role: "VIEWER" | "ANALYST" | "ADMIN",
  name: string,
): Promise<{ id: number; secret: string }> {
  const prisma = createPrisma(databaseUrl);
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const { apiKey, secret } = await createApiKey(createDb(pool, prisma), name, role, CLI_ACTOR);
    return { id: apiKey.id, secret };
  } finally {
    await prisma.$disconnect();
    await pool.end();
  }
}
