// Shared by the API tests: generated datasets, plan polling over HTTP, and checks on what a plan
// left in the database.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Pool } from "pg";
import { dbId, type ApiServer, type GqlResponse } from "../../support/api-server";

export interface ConstraintsJson {
  name: string;
  objective: string;
  budget: number;
  hurdleRate: number;
  maxOffersPerCustomer: number;
  channelCapacities: { channelId: string; capacity: number }[];
  offerVolumes: { offerId: string; min?: number; max?: number }[];
  segmentRules: unknown[];
}

export interface GeneratedDataset {
  dir: string;
  /** the generated constraints.json, as parsed */
  constraints: ConstraintsJson;
  remove(): Promise<void>;
}

const BIN = path.join(__dirname, "..", "..", "..", "bin", "offerplan.js");
const run = promisify(execFile);

/**
 * A dataset written by `offerplan generate` in a child process: at 100,000 customers several
 * times faster than the same generator inside Jest's module sandbox, and it overlaps the server's
 * start-up.
 */
export async function generatedDataset(customers: number, seed: number): Promise<GeneratedDataset> {
  const dir = await mkdtemp(path.join(tmpdir(), "offerplan-api-"));
  await run(process.execPath, [
    BIN,
    "generate",
    "--customers",
    String(customers),
    "--seed",
    String(seed),
    "--out",
    dir,
    "--json",
  ]);
  const constraints = JSON.parse(
    await readFile(path.join(dir, "constraints.json"), "utf8"),
  ) as ConstraintsJson;
  return { dir, constraints, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The data of a response that must have succeeded; a failure shows the errors. */
export function ok<T>(res: GqlResponse<T>): T {
  if (res.errors?.length || !res.data)
    throw new Error(`GraphQL errors (HTTP ${res.status}): ${JSON.stringify(res.errors)}`);
  return res.data;
}

/** The one error of a response that must have failed. */
export function failure<T>(res: GqlResponse<T>) {
  if (!res.errors?.length) throw new Error(`expected an error, got ${JSON.stringify(res.data)}`);
  const e = res.errors[0]!;
  return { message: e.message, code: e.extensions?.code, field: e.extensions?.field, error: e };
}

export interface PlanState {
  id: string;
  status: string;
  progress: number;
  phase: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  failedInPhase: string | null;
}

const PLAN_STATE = `query ($id: ID!) {
  plan(id: $id) { id status progress phase startedAt finishedAt error failedInPhase }
}`;

export async function planState(server: ApiServer, key: string, id: string): Promise<PlanState> {
  const { plan } = ok(await server.gql<{ plan: PlanState | null }>(PLAN_STATE, { id }, key));
  if (!plan) throw new Error(`plan ${id} not found`);
  return plan;
}

/**
 * Polls plan(id) until `done` holds; returns every state seen, in order. Fails fast when the plan
 * ends in a state that `done` does not accept (e.g. FAILED while waiting for SUCCEEDED).
 */
export async function pollPlan(
  server: ApiServer,
  key: string,
  id: string,
  done: (p: PlanState) => boolean = (p) => p.status === "SUCCEEDED",
  { timeoutMs = 60_000, intervalMs = 100 } = {},
): Promise<PlanState[]> {
  const seen: PlanState[] = [];
  const until = Date.now() + timeoutMs;
  for (;;) {
    const p = await planState(server, key, id);
    seen.push(p);
    if (done(p)) return seen;
    if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(p.status))
      throw new Error(`plan ${id} ended ${p.status} (${p.error ?? "no error"})`);
    if (Date.now() > until)
      throw new Error(`plan ${id} still ${p.status} after ${timeoutMs} ms (phase ${p.phase})`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Tables a plan's transaction writes (the first two are partitioned by plan). */
export const PLAN_TABLES = [
  "plan_assignment",
  "plan_cluster_member",
  "plan_cluster",
  "plan_proportion",
  "plan_constraint_report",
  "plan_summary",
] as const;

/** Rows per plan table, and the plan's partitions whether attached or not. */
export async function planFootprint(pool: Pool, planId: number | string) {
  const rows: Record<string, number> = {};
  for (const t of PLAN_TABLES) {
    const r = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${t} WHERE plan_id = $1`,
      [dbId(String(planId))],
    );
    rows[t] = r.rows[0]!.n;
  }
  // The writer names partitions <parent>_p<planId> (src/db/plan-writer.ts).
  const tables = await pool.query<{ name: string }>(
    `SELECT relname AS name FROM pg_class WHERE relname = ANY($1::text[]) ORDER BY 1`,
    [PLAN_TABLES.map((t) => `${t}_p${dbId(String(planId))}`)],
  );
  const attached = await pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname = ANY($1::text[]) AND c.relname LIKE $2`,
    [[...PLAN_TABLES], `%\\_p${planId}`],
  );
  return {
    rows,
    partitionTables: tables.rows.map((r) => r.name),
    attachedPartitions: attached.rows.map((r) => r.name),
  };
}

export const EMPTY_FOOTPRINT = {
  rows: Object.fromEntries(PLAN_TABLES.map((t) => [t, 0])),
  partitionTables: [],
  attachedPartitions: [],
};

/** Row counts of the tables that constraint-set and plan mutations write. */
export async function mutationCounts(pool: Pool): Promise<Record<string, number>> {
  const r = await pool.query<Record<string, number>>(
    `SELECT (SELECT count(*)::int FROM constraint_set) AS constraint_set,
            (SELECT count(*)::int FROM constraint_set_version) AS constraint_set_version,
            (SELECT count(*)::int FROM plan) AS plan,
            (SELECT count(*)::int FROM graphile_worker.jobs j
              WHERE NOT EXISTS (SELECT 1 FROM plan p WHERE j.key = 'plan:' || p.id)) AS orphan_jobs,
            (SELECT count(*)::int FROM api_key) AS api_key,
            (SELECT count(*)::int FROM customer) AS customer,
            (SELECT count(*)::int FROM score) AS score,
            (SELECT count(*)::int FROM import_run) AS import_run`,
  );
  return r.rows[0]!;
}

export const KPIS = `kpis {
  expectedReturn cost roi contacts upperBound gap baselineExpectedReturn baselineCost
  contactsByChannel { channel { id: externalId } contacts }
}`;

export interface Kpis {
  expectedReturn: number;
  cost: number;
  roi: number | null;
  contacts: number;
  upperBound: number | null;
  gap: number | null;
  baselineExpectedReturn: number | null;
  baselineCost: number | null;
  contactsByChannel: { channel: { id: string }; contacts: number }[];
}

export async function planKpis(server: ApiServer, key: string, id: string): Promise<Kpis> {
  const { plan } = ok(
    await server.gql<{ plan: { status: string; kpis: Kpis | null } }>(
      `query ($id: ID!) { plan(id: $id) { status ${KPIS} } }`,
      { id },
      key,
    ),
  );
  if (!plan.kpis) throw new Error(`plan ${id} has no KPIs (${plan.status})`);
  return plan.kpis;
}

/** Imports a generated dataset over the API and saves its constraints; the version's id. */
export async function importWithConstraints(
  server: ApiServer,
  key: string,
  data: GeneratedDataset,
): Promise<string> {
  ok(
    await server.gql(
      `mutation ($dir: String!) { importDataset(dir: $dir) { changed } }`,
      { dir: data.dir },
      key,
    ),
  );
  return ok(
    await server.gql<{ createConstraintSet: { constraintSet: { latestVersion: { id: string } } } }>(
      `mutation ($input: ConstraintSetInput!) {
        createConstraintSet(input: $input) { constraintSet { latestVersion { id } } } }`,
      { input: data.constraints },
      key,
    ),
  ).createConstraintSet.constraintSet.latestVersion.id;
}
