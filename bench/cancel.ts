// Cancellation benchmark:
//   npm run bench -- cancel [--customers 1000000] [--methods cluster-lp,exact,greedy] [--where]
//     [--gaps-only]
// On the kept bench database (imported once, bench/support.ts):
// 1. poll gaps: each method optimises the loaded instance with a shouldStop that never stops and
//    records, per phase, the longest stretch between two polls (--where: the code at both ends
//    of the longest one);
// 2. cancel latency: the same plans run end to end (executePlan, instance kept as a worker keeps
//    it), cancelled from another thread half-way through each phase of an uncancelled run; the
//    latency is from the cancel's UPDATE returning to executePlan rejecting with
//    PlanCancelledError.
import { CANCEL_CHANNEL } from "../src/db/heartbeat";
import { readFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { Pool } from "pg";
import { loadInstance } from "../src/db/instance-loader";
import { createDb } from "../src/db/handle";
import { createPrisma } from "../src/db/prisma";
import { parseConstraintSet } from "../src/domain/constraint-set";
import { optimize } from "../src/optimize/optimize";
import type { Method } from "../src/optimize/types";
import { saveConstraintSetByName } from "../src/services/constraint-sets";
import { constraintsFor, createPlan, executePlan, PlanCancelledError } from "../src/services/plans";
import { argValue, benchDataset, importedDatabase } from "./support";

const METHODS: Record<string, Method> = {
  "cluster-lp": "CLUSTER_LP",
  exact: "EXACT",
  greedy: "GREEDY",
};

/** Wall-clock ms comparable between threads. */
const now = () => performance.timeOrigin + performance.now();

/**
 * Per phase, the longest stretch between two polls in wall-clock time, and the most CPU time
 * spent between two polls: on a shared machine a stretch is longer in wall time when the process
 * waits for a core, and the CPU figure is what the stretch costs on an idle one.
 */
class GapRecorder {
  phase = "prepare";
  polls = 0;
  private last = performance.now();
  private lastCpu = cpuMs();
  private lastWhere = "";
  readonly worst = new Map<string, { ms: number; from: string; to: string }>();
  readonly worstCpu = new Map<string, { ms: number; from: string; to: string }>();
  constructor(private readonly where: boolean) {}
  readonly shouldStop = (): boolean => {
    this.note(this.where ? caller() : "");
    this.polls++;
    return false;
  };
  readonly onProgress = (phase: string): void => {
    this.phase = phase;
  };
  /** the stretch after the last poll, up to the end of the run */
  finish(): void {
    this.note("end of run");
  }
  private note(where: string): void {
    const cpu = cpuMs();
    const spent = cpu - this.lastCpu;
    if (spent > (this.worstCpu.get(this.phase)?.ms ?? -1))
      this.worstCpu.set(this.phase, { ms: spent, from: this.lastWhere, to: where });
    this.lastCpu = cpu;
    const t = performance.now();
    const ms = t - this.last;
    const had = this.worst.get(this.phase);
    if (!had || ms > had.ms) this.worst.set(this.phase, { ms, from: this.lastWhere, to: where });
    this.last = t;
    this.lastWhere = where;
  }
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function caller(): string {
  const lines = new Error().stack?.split("\n") ?? [];
  return lines
    .slice(3, 7)
    .map((l) =>
      l
        .trim()
        .replace(/^at /, "")
        .replace(/\(.*\/src\//, "(src/"),
    )
    .join(" < ");
}

// Sends the cancel (cancelPlan's UPDATE and NOTIFY) from a thread of its own, since the main thread is busy
// optimising; posts back when the UPDATE returned.
const CANCELLER = `
const { parentPort, workerData } = require("node:worker_threads");
const { Client } = require(workerData.pgPath);
const client = new Client({ connectionString: workerData.url });
client.connect().then(() => parentPort.postMessage({ ready: true }));
parentPort.on("message", ({ planId, delayMs }) => {
  setTimeout(async () => {
    await client.query("BEGIN");
    await client.query(
      "UPDATE plan SET status = 'CANCELLED', finished_at = now(), failed_in_phase = phase, " +
      "phase = NULL, progress = 0 WHERE id = $1 AND status IN ('QUEUED', 'RUNNING')", [planId]);
    await client.query("SELECT pg_notify($1, $2)", [workerData.channel, "plan:" + planId]);
    await client.query("COMMIT");
    parentPort.postMessage({ cancelledAt: performance.timeOrigin + performance.now() });
  }, delayMs);
});
`;

async function main() {
  const argv = process.argv.slice(2);
  const customers = Number(argValue(argv, "customers", "1000000"));
  const methods = argValue(argv, "methods", "cluster-lp,exact,greedy").split(",");
  const where = argv.includes("--where");
  const gapsOnly = argv.includes("--gaps-only");
  const url = await importedDatabase(customers, 1, "default");
  const dir = await benchDataset(customers, 1, "default");
  const pool = new Pool({ connectionString: url, max: 4 });
  const prisma = createPrisma(url);
  const canceller = new Worker(CANCELLER, {
    eval: true,
    workerData: { url, pgPath: require.resolve("pg"), channel: CANCEL_CHANNEL },
  });
  const cancellerReady = new Promise((resolve) => canceller.once("message", resolve));
  try {
    const parsed = parseConstraintSet(
      JSON.parse(await readFile(join(dir, "constraints.json"), "utf8")),
    );
    if (!parsed.ok) throw new Error("the bench dataset's constraints.json does not parse");
    const definition = parsed.value;
    const loaded = await loadInstance(pool);
    const constraints = constraintsFor(definition, loaded);
    await cancellerReady;
    const load = () =>
      loadavg()
        .map((x) => x.toFixed(2))
        .join(" ");
    console.log(
      `${customers} customers, ${loaded.instance.optOffer.length} options; load average ${load()}`,
    );

    // 1. poll gaps
    console.log(
      "\nlongest stretch between two shouldStop polls, per phase: wall ms / CPU ms of the process",
    );
    for (const m of methods) {
      const method = METHODS[m];
      if (!method) throw new Error(`unknown method ${m}`);
      const rec = new GapRecorder(where);
      const t = performance.now();
      await optimize(loaded.instance, constraints, {
        method,
        seed: 1,
        shouldStop: rec.shouldStop,
        onProgress: rec.onProgress,
      });
      rec.finish();
      const secs = (performance.now() - t) / 1000;
      const worst = [...rec.worst.entries()];
      const max = Math.max(...worst.map(([, w]) => w.ms));
      const maxCpu = Math.max(...[...rec.worstCpu.values()].map((w) => w.ms));
      const cpuOf = (phase: string) => (rec.worstCpu.get(phase)?.ms ?? 0).toFixed(0);
      console.log(
        `${m}: ${secs.toFixed(1)} s, ${rec.polls} polls, longest ${max.toFixed(0)} ms wall, ` +
          `${maxCpu.toFixed(0)} ms CPU | ` +
          worst.map(([phase, w]) => `${phase} ${w.ms.toFixed(0)}/${cpuOf(phase)}`).join(", "),
      );
      if (where) {
        for (const [phase, w] of worst) {
          const c = rec.worstCpu.get(phase)!;
          console.log(`  ${phase} ${w.ms.toFixed(0)} ms\n    from ${w.from}\n    to   ${w.to}`);
          console.log(`  ${phase} ${c.ms.toFixed(0)} ms CPU\n    from ${c.from}\n    to   ${c.to}`);
        }
      }
    }

    if (gapsOnly) return;
    // 2. cancel latency, end to end
    console.log(`\ncancel latency (load average ${load()})`);
    const version = await saveConstraintSetByName(createDb(pool, prisma), definition);
    const rows: string[] = [];
    for (const m of methods) {
      const method = METHODS[m]!;
      // phase start times of an uncancelled run, relative to executePlan's call
      const starts: Array<[string, number]> = [];
      const plan = await createPlan(createDb(pool, prisma), version.versionId, { method, seed: 1 });
      const t0 = performance.now();
      await executePlan(pool, prisma, plan.id, {
        loaded,
        onProgress: (phase) => {
          if (starts.at(-1)?.[0] !== phase) starts.push([phase, performance.now() - t0]);
        },
      });
      const total = performance.now() - t0;
      for (let s = 0; s < starts.length; s++) {
        const [phase, at] = starts[s]!;
        const end = starts[s + 1]?.[1] ?? total;
        if (end - at < 300) continue; // too short to aim at
        const delayMs = Math.round(at + (end - at) / 2);
        const target = await createPlan(createDb(pool, prisma), version.versionId, {
          method,
          seed: 1,
        });
        const cancelled = new Promise<number>((resolve) =>
          canceller.once("message", (msg: { cancelledAt: number }) => resolve(msg.cancelledAt)),
        );
        canceller.postMessage({ planId: target.id, delayMs });
        let stoppedAt = 0;
        let outcome = "finished";
        try {
          await executePlan(pool, prisma, target.id, { loaded });
        } catch (e) {
          stoppedAt = now();
          outcome = e instanceof PlanCancelledError ? "cancelled" : String(e);
        }
        const cancelAt = await cancelled;
        const latency = outcome === "cancelled" ? `${(stoppedAt - cancelAt).toFixed(0)} ms` : "-";
        rows.push(`${m} | ${phase} | ${(delayMs / 1000).toFixed(1)} s | ${outcome} | ${latency}`);
        console.log(rows.at(-1));
      }
    }
    console.log(`\nrun | phase cancelled in | cancel at | outcome | latency\n${rows.join("\n")}`);
    console.log(`load average at the end ${load()}`);
  } finally {
    await canceller.terminate();
    await prisma.$disconnect();
    await pool.end();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
