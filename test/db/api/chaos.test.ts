// Crashes never leave a plan stuck: a worker killed with SIGKILL while loading, optimising or
// writing, and a server killed with SIGKILL, each end with the plan SUCCEEDED — the same plan, by
// fingerprint, as an undisturbed run — and no orphan process or partial rows. A run whose
// process is gone and that cannot be retried ends FAILED with the reason.
import {
  createApiKeyInDatabase,
  startApiServer,
  type ApiServer,
  type LogLine,
  dbId,
} from "../../support/api-server";
import { createTestDatabase, type TestDatabase } from "../../support/db";
import {
  generatedDataset,
  importWithConstraints,
  ok,
  pollPlan,
  type GeneratedDataset,
} from "./helpers";

const CUSTOMERS = 30_000;
const PAUSE = {
  OFFERPLAN_TEST_PAUSE_PHASES: "load,cluster_lp,write:assignments",
  OFFERPLAN_TEST_PAUSE_MS: "2500",
};

let db: TestDatabase;
let data: GeneratedDataset;
let key: string;
let versionId: string;
let expected: string;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The plan's bare key: the API takes it, and the job key, SQL and logs use it. */
async function runPlan(server: ApiServer): Promise<string> {
  const { runPlan: plan } = ok(
    await server.gql<{ runPlan: { id: string } }>(
      `mutation ($input: RunPlanInput!) { runPlan(input: $input) { id } }`,
      { input: { constraintSetVersionId: versionId, method: "CLUSTER_LP", clusters: 20, seed: 4 } },
      key,
    ),
  );
  return String(dbId(plan.id));
}

async function fingerprint(id: string): Promise<string | null> {
  const { rows } = await db.pool.query<{ fingerprint: string | null }>(
    "SELECT fingerprint FROM plan WHERE id = $1",
    [id],
  );
  return rows[0]!.fingerprint;
}

// graphile-worker deletes a finished job after the task returns, in its own query, so the job
// row can outlive the plan's SUCCEEDED commit by a moment; a job left locked stays for hours.
const JOB_COMPLETION_MS = 10_000;

async function jobGone(id: string): Promise<boolean> {
  const until = Date.now() + JOB_COMPLETION_MS;
  for (;;) {
    const { rowCount } = await db.pool.query("SELECT 1 FROM graphile_worker.jobs WHERE key = $1", [
      `plan:${id}`,
    ]);
    if (rowCount === 0) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const paused = (id: string, phase: string) => (l: LogLine) =>
  l.msg === "test pause" && l.planId === dbId(id) && l.phase === phase;

beforeAll(async () => {
  db = await createTestDatabase();
  let server: ApiServer;
  [data, server, { secret: key }] = await Promise.all([
    generatedDataset(CUSTOMERS, 41),
    startApiServer({ databaseUrl: db.url, workers: 1 }),
    createApiKeyInDatabase(db.url, "ADMIN", "chaos"),
  ]);
  try {
    versionId = await importWithConstraints(server, key, data);
    const undisturbed = await runPlan(server);
    await pollPlan(server, key, undisturbed);
    expected = (await fingerprint(undisturbed))!;
  } finally {
    await server.stop();
  }
});

afterAll(async () => {
  await db?.drop();
  await data?.remove();
});

describe("crash recovery", () => {
  // write:assignments is inside the write transaction, after the assignments were copied
  it.each(["load", "cluster_lp", "write:assignments"])(
    "a worker killed in phase %s: the plan is re-queued and ends SUCCEEDED, the same plan",
    async (phase) => {
      const server = await startApiServer({ databaseUrl: db.url, workers: 1, env: PAUSE });
      try {
        const id = await runPlan(server);
        const pause = await server.waitForLog(paused(id, phase), 60_000);
        const pid = Number(pause.pid);
        process.kill(pid, "SIGKILL");
        const killedAt = Date.now();
        const states = await pollPlan(server, key, id, undefined, {
          timeoutMs: 90_000,
          intervalMs: 250,
        });
        // recovered well within a minute of the crash (the rerun itself pauses in three phases)
        expect(Date.now() - killedAt).toBeLessThan(60_000);
        expect(states.at(-1)!.status).toBe("SUCCEEDED");
        expect(await fingerprint(id)).toBe(expected);
        expect(alive(pid)).toBe(false);
        // its job is done, not left locked
        expect(await jobGone(id)).toBe(true);
      } finally {
        await server.stop();
      }
    },
  );

  it("a server killed with SIGKILL takes its workers with it; the next server finishes the plan", async () => {
    const first = await startApiServer({ databaseUrl: db.url, workers: 1, env: PAUSE });
    const id = await runPlan(first);
    const pause = await first.waitForLog(paused(id, "cluster_lp"), 60_000);
    const workerPid = Number(pause.pid);
    process.kill(first.pid, "SIGKILL");
    await first.exited;
    // the forked worker notices its parent is gone and stops (no orphan planning beside the next server)
    const until = Date.now() + 30_000;
    while (alive(workerPid) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    expect(alive(workerPid)).toBe(false);

    const second = await startApiServer({ databaseUrl: db.url, workers: 1 });
    try {
      const states = await pollPlan(second, key, id, undefined, {
        timeoutMs: 90_000,
        intervalMs: 250,
      });
      expect(states.at(-1)!.status).toBe("SUCCEEDED");
      expect(await fingerprint(id)).toBe(expected);
    } finally {
      await second.stop();
    }
  });

  it("a run whose process is gone and that has no job to retry ends FAILED with the reason", async () => {
    // a CLI run (no job) whose process died: RUNNING, owned by a process that never beats
    const { rows } = await db.pool.query<{ id: number }>(
      `INSERT INTO plan (version_number, constraint_set_version_id, status, method, phase, progress,
                         started_at, run_by)
       VALUES (999, $1, 'RUNNING', 'EXACT', 'exact', 0.4, now(), 'gone:1:x') RETURNING id`,
      [dbId(versionId)],
    );
    const id = String(rows[0]!.id);
    const server = await startApiServer({ databaseUrl: db.url, workers: 1 });
    try {
      const states = await pollPlan(server, key, id, (p) => p.status === "FAILED", {
        timeoutMs: 30_000,
        intervalMs: 250,
      });
      const last = states.at(-1)!;
      expect(last.error).toMatch(/the process running it \(gone:1:x\) stopped before it finished/);
      expect(last.failedInPhase).toBe("EXACT");
      expect({ phase: last.phase, progress: last.progress }).toEqual({ phase: null, progress: 0 });
    } finally {
      await server.stop();
    }
  });
});
