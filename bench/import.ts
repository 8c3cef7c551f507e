// Import benchmark: npx tsx bench/import.ts --customers 1000000 [--seed 1] [--keep] [--server-cpu]
// --server-cpu adds the CPU seconds of the database server's processes to every step (read from
// /proc: the server must run on this machine; the sampling costs the benchmark some CPU).
// Generates a demo dataset once (cached under the OS temp dir), creates a fresh database
// offerplan_bench_import on the server of DATABASE_URL (default: local postgres as admin),
// migrates it, then times a first import and a re-import of the same files, end to end.
import { loadavg } from "node:os";
import { Pool } from "pg";
import { importDataset, type ImportSummary } from "../src/ingest";
import { ServerCpu } from "./server-cpu";
import { benchDataset, dropDatabase, freshDatabase } from "./support";

const DATABASE = "offerplan_bench_import";

interface Args {
  customers: number;
  seed: number;
  keep: boolean;
  serverCpu: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { customers: 100_000, seed: 1, keep: false, serverCpu: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--customers") args.customers = Number(argv[++i]);
    else if (a === "--seed") args.seed = Number(argv[++i]);
    else if (a === "--keep") args.keep = true;
    else if (a === "--server-cpu") args.serverCpu = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isSafeInteger(args.customers) || args.customers < 1)
    throw new Error("--customers must be a positive integer");
  return args;
}

function report(
  label: string,
  s: ImportSummary,
  wallSeconds: number,
  cpuSeconds: number,
  cpu: ServerCpu,
  t0: number,
  serverCpu: boolean,
): void {
  console.log(
    `\n${label}: ${s.rowsRead.toLocaleString("en")} rows in ${wallSeconds.toFixed(1)} s = ` +
      `${Math.round(s.rowsRead / wallSeconds).toLocaleString("en")} rows/s ` +
      `(Node CPU ${cpuSeconds.toFixed(1)} s)`,
  );
  console.table(
    s.files.map((f) => ({
      file: f.file,
      rows: f.rowsRead,
      inserted: f.inserted,
      updated: f.updated,
      unchanged: f.unchanged,
      seconds: Number(f.seconds.toFixed(2)),
      skipped: f.skipped,
    })),
  );
  console.table(
    s.phases.map((p) => {
      const from = t0 + p.startedAt * 1000;
      const used = cpu.between(from, from + p.seconds * 1000);
      return {
        phase: p.phase,
        at: Number(p.startedAt.toFixed(2)),
        seconds: Number(p.seconds.toFixed(2)),
        ...(serverCpu ? { "server CPU": Number(used.server.toFixed(2)) } : {}),
        "Node CPU": Number(used.node.toFixed(2)),
      };
    }),
  );
  const all = cpu.between(t0, t0 + wallSeconds * 1000);
  if (serverCpu)
    console.log(
      `server CPU ${all.server.toFixed(1)} s in all (backends of ${DATABASE} and their workers)`,
    );
}

async function timedImport(
  pool: Pool,
  dir: string,
  label: string,
  serverCpu: boolean,
): Promise<void> {
  console.log(
    `\n${label}: load average before ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  const server = new ServerCpu(DATABASE, serverCpu);
  server.start();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const summary = await importDataset(pool, dir);
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  server.stop();
  report(label, summary, wall, (cpu.user + cpu.system) / 1e6, server, t0, serverCpu);
  console.log(
    `load average after ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = await benchDataset(args.customers, args.seed);
  const url = await freshDatabase(DATABASE);
  const pool = new Pool({ connectionString: url, max: 2 });
  try {
    await timedImport(pool, dir, "first import", args.serverCpu);
    await timedImport(pool, dir, "re-import of the same files", args.serverCpu);
  } finally {
    await pool.end();
    if (!args.keep) await dropDatabase(DATABASE);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
