// Plans under way, through the real server and its two worker processes, on a dataset large
// enough (100,000 customers) that a run takes seconds: two plans at once give what each gives
// alone, a cancelled plan leaves nothing behind, and a shutdown mid-run puts the plan back on
// the queue for the next server to finish.
import {
  createApiKeyInDatabase,
  startApiServer,
  type ApiServer,
  type LogLine,
  dbId,
} from "../../support/api-server";
import { createTestDatabase, type TestDatabase } from "../../support/db";
import {
  EMPTY_FOOTPRINT,
  failure,
  generatedDataset,
  ok,
  planFootprint,
  planKpis,
  planState,
  pollPlan,
  type GeneratedDataset,
  type PlanState,
} from "./helpers";

const CUSTOMERS = 100_000;

let db: TestDatabase;
let server: ApiServer;
let data: GeneratedDataset;
let key: string;
let setId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  [data, server, { secret: key }] = await Promise.all([
    generatedDataset(CUSTOMERS, 21),
    // No grace period: a shutdown interrupts a run instead of waiting for it (see the last test).
    startApiServer({ databaseUrl: db.url, workers: 2, graceSeconds: 0 }),
    createApiKeyInDatabase(db.url, "ADMIN", "lifecycle admin"),
  ]);
  ok(
    await server.gql(
      `mutation ($dir: String!) { importDataset(dir: $dir) { changed } }`,
      { dir: data.dir },
      key,
    ),
  );
  setId = ok(
    await server.gql<{ createConstraintSet: { constraintSet: { id: string } } }>(
      `mutation ($input: ConstraintSetInput!) {
        createConstraintSet(input: $input) { constraintSet { id } }
      }`,
      { input: data.constraints },
      key,
    ),
  ).createConstraintSet.constraintSet.id;
});

afterAll(async () => {
  await server?.stop();
  await db?.drop();
  await data?.remove();
});

async function runPlan(seed: number): Promise<string> {
  const { runPlan } = ok(
    await server.gql<{ runPlan: { id: string; status: string } }>(
      `mutation ($id: ID!, $seed: Int!) {
        runPlan(input: { constraintSetId: $id, seed: $seed }) { id status }
      }`,
      { id: setId, seed },
      key,
    ),
  );
  expect(runPlan.status).toBe("QUEUED");
  // the bare key: the API takes it, and the job key, partitions and logs use it
  return String(dbId(runPlan.id));
}

const cancel = (id: string) =>
  server.gql<{ cancelPlan: { id: string; status: string } }>(
    `mutation ($id: ID!) { cancelPlan(id: $id) { id status } }`,
    { id },
    key,
  );

/** A worker process's log line about a plan (the API logs some of the same messages). */
const workerLog = (msg: string, planId: string) => (l: LogLine) =>
  l.name === "offerplan-worker" && l.msg === msg && l.planId === dbId(planId);

/** The plan's rows as sets, for comparing two runs of the same inputs. */
async function planRows(planId: string) {
  const q = async (sql: string) => (await db.pool.query(sql, [dbId(planId)])).rows;
  return {
    summary: await q(
      `SELECT segment, offer_id, channel_id, contacts, expected_return, cost FROM plan_summary
       WHERE plan_id = $1 ORDER BY 1, 2, 3`,
    ),
    report: await q(
      `SELECT name, activity, dual, binding FROM plan_constraint_report WHERE plan_id = $1
       ORDER BY name`,
    ),
    assignments: await q(
      `SELECT md5(string_agg(customer_id || ':' || offer_id || ':' || channel_id, ','
                   ORDER BY customer_id, offer_id)) AS digest, count(*)::int AS n
       FROM plan_assignment WHERE plan_id = $1`,
    ),
  };
}

describe("plans under way", () => {
  it("a shutdown mid-run puts the plan back on the queue; the next server finishes it", async () => {
    // The first plan of a fresh worker loads the instance (seconds of I/O), so SIGTERM reaches
    // the worker mid-run; with no grace period the run stops at its next checkpoint.
    const id = await runPlan(6);
    await pollPlan(server, key, id, (p) => p.status === "RUNNING", { intervalMs: 20 });
    const exit = await server.stop();
    expect(exit).toEqual({ code: 0, signal: null });

    const { rows } = await db.pool.query<{
      status: string;
      progress: number;
      phase: string | null;
      started_at: Date | null;
    }>("SELECT status, progress, phase, started_at FROM plan WHERE id = $1", [dbId(id)]);
    // Never RUNNING or half-written: back in the queue with nothing of it stored. (With a grace
    // period it could also have finished; a SUCCEEDED plan here means the grace was not kept.)
    expect(rows[0]).toEqual({ status: "QUEUED", progress: 0, phase: null, started_at: null });
    expect(await planFootprint(db.pool, id)).toEqual(EMPTY_FOOTPRINT);
    expect(server.logs.some(workerLog("plan interrupted by shutdown; queued again", id))).toBe(
      true,
    );
    const job = await db.pool.query<{ attempts: number; locked_at: Date | null }>(
      "SELECT attempts, locked_at FROM graphile_worker.jobs WHERE key = $1",
      [`plan:${id}`],
    );
    expect(job.rows).toEqual([{ attempts: 1, locked_at: null }]);

    server = await startApiServer({ databaseUrl: db.url, workers: 2, graceSeconds: 5 });
    await pollPlan(server, key, id, undefined, { timeoutMs: 90_000 });
    const kpis = await planKpis(server, key, id);
    const footprint = await planFootprint(db.pool, id);
    expect(footprint.rows.plan_assignment).toBe(kpis.contacts);
    expect(footprint.attachedPartitions.sort()).toEqual(
      [`plan_assignment_p${id}`, `plan_cluster_member_p${id}`].sort(),
    );
  });

  it("two plans at once both succeed, each exactly as when run alone", async () => {
    const alone: string[] = [];
    for (const seed of [1, 2]) {
      const id = await runPlan(seed);
      const states = await pollPlan(server, key, id);
      // the run is long enough to be seen running, and its phase moves
      const running = states.filter((s) => s.status === "RUNNING");
      expect(new Set(running.map((s) => s.phase)).size).toBeGreaterThan(1);
      for (let i = 1; i < states.length; i++)
        expect(states[i]!.progress).toBeGreaterThanOrEqual(states[i - 1]!.progress);
      alone.push(id);
    }

    const together = await Promise.all([runPlan(1), runPlan(2)]);
    const finals = await Promise.all(together.map((id) => pollPlan(server, key, id)));
    const [a, b] = finals.map((s) => s[s.length - 1]!) as [PlanState, PlanState];
    // they really overlapped, in the two worker processes
    expect(Date.parse(a.startedAt!)).toBeLessThan(Date.parse(b.finishedAt!));
    expect(Date.parse(b.startedAt!)).toBeLessThan(Date.parse(a.finishedAt!));
    const pids = await Promise.all(
      together.map(async (id) => (await server.waitForLog(workerLog("plan started", id))).pid),
    );
    expect(pids[0]).not.toBe(pids[1]);

    for (let i = 0; i < 2; i++) {
      expect(await planKpis(server, key, together[i]!)).toEqual(
        await planKpis(server, key, alone[i]!),
      );
      expect(await planRows(together[i]!)).toEqual(await planRows(alone[i]!));
    }
    // different seeds are different plans, so the comparison above can tell them apart
    expect((await planRows(alone[0]!)).assignments).not.toEqual(
      (await planRows(alone[1]!)).assignments,
    );
  });

  it("cancelled plans, running or queued, leave nothing behind and never run", async () => {
    const early = await runPlan(3);
    const late = await runPlan(4);
    // both workers busy: a third plan waits in the queue
    await Promise.all([
      pollPlan(server, key, early, (p) => p.status === "RUNNING", { intervalMs: 20 }),
      pollPlan(server, key, late, (p) => p.status === "RUNNING", { intervalMs: 20 }),
    ]);
    const queued = await runPlan(5);
    expect((await planState(server, key, queued)).status).toBe("QUEUED");
    expect(ok(await cancel(queued)).cancelPlan.status).toBe("CANCELLED");

    // one cancelled as soon as it runs, the other once it is optimising
    expect(ok(await cancel(early)).cancelPlan.status).toBe("CANCELLED");
    await pollPlan(server, key, late, (p) => p.status === "RUNNING" && p.phase !== "LOAD", {
      intervalMs: 20,
    });
    expect(ok(await cancel(late)).cancelPlan.status).toBe("CANCELLED");

    // the workers notice at their next checkpoint and write nothing
    await server.waitForLog(workerLog("plan cancelled", early));
    await server.waitForLog(workerLog("plan cancelled", late));
    // both workers are free now: a job left for the queued plan would be taken at once
    await new Promise((r) => setTimeout(r, 2500));
    expect(server.logs.filter((l) => l.planId === Number(queued))).toEqual([
      expect.objectContaining({ msg: "plan queued" }),
      expect.objectContaining({ msg: "plan cancelled" }),
    ]);
    const jobs = await db.pool.query("SELECT key FROM graphile_worker.jobs WHERE key = ANY($1)", [
      [early, late, queued].map((id) => `plan:${id}`),
    ]);
    expect(jobs.rows).toEqual([]);

    for (const id of [early, late, queued]) {
      const p = await planState(server, key, id);
      expect(p.status).toBe("CANCELLED");
      expect(p.finishedAt).not.toBeNull();
      // no live progress; the phase it was cancelled in is kept
      expect({ phase: p.phase, progress: p.progress }).toEqual({ phase: null, progress: 0 });
      expect(await planFootprint(db.pool, id)).toEqual(EMPTY_FOOTPRINT);
    }
    expect((await planState(server, key, queued)).startedAt).toBeNull();
    expect((await planState(server, key, queued)).failedInPhase).toBeNull();
    expect((await planState(server, key, late)).failedInPhase).not.toBeNull();
    // a cancelled plan cannot be cancelled again
    expect(failure(await cancel(early)).code).toBe("CONFLICT");
  });
});
