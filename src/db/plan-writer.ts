// Writes a finished plan in ONE transaction: its assignment and membership partitions (binary
// COPY into fresh tables, then ATTACH), clusters, proportions, constraint report, per-plan
// summary and KPIs, and the status change. Until COMMIT nothing of it is visible; a failure or a
// killed process leaves no rows behind.
import type { Pool, PoolClient } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Instance } from "../optimize/instance";
import type { StoredProvenance } from "../domain/stored-provenance";
import { BinaryCopyWriter } from "./copy-binary-writer";
import type { Catalog } from "./instance-loader";
import { planFingerprint } from "./plan-fingerprint";
import { inTransaction } from "./transaction";
import { POLL_EVERY_CUSTOMERS_MASK } from "../optimize/stop";

export interface ReportRow {
  name: string;
  kind: string;
  sense: string;
  activity: number;
  bound: number;
  slack: number;
  dual: number | null;
  binding: boolean;
  reportOnly?: boolean;
  clusterLpDual?: number | null;
}

export interface ClusterRow {
  index: number;
  segment: string | null;
  size: number;
  meanReturn: number;
  meanCost: number;
  centroid?: number[];
}

export interface ProportionRow {
  cluster: number;
  offer: number;
  channel: number;
  proportion: number;
  customers: number;
}

export interface PlanRowsInput {
  instance: Instance;
  catalog: Catalog;
  /** 1 per chosen option of the instance */
  selected: Uint8Array;
  /** 1 per chosen option held out as control (not contacted); absent = all treatment */
  control?: Uint8Array;
  /** a campaign calendar's wave name per option of the instance; absent = a single wave */
  wave?: { ofOption: Int32Array; names: string[] };
  clusters?: ClusterRow[];
  /** cluster index per customer */
  membership?: Int32Array;
  /** a plan whose membership equals `membership`: shared (plan.membership_plan_id), not written */
  membershipFrom?: number;
  proportions?: ProportionRow[];
  constraintReport: ReportRow[];
  kpis: Record<string, unknown>;
  timings: Record<string, number>;
  /** what the plan was computed from (plan.dataset_revision, history_revision, provenance) */
  provenance: {
    datasetRevision: number;
    /** null when the plan read no contact history (no contact policies) */
    historyRevision: number | null;
    stored: StoredProvenance;
  };
}

export interface WrittenPlan {
  seconds: number;
  fingerprint: string;
}

export class PlanNoLongerRunningError extends Error {}

/** Test hook: throw between steps to prove a failure mid-write leaves nothing behind. */
export type FailpointHook = (step: string) => void;

export async function writePlanResult(
  pool: Pool,
  planId: number,
  input: PlanRowsInput,
  failpoint?: FailpointHook,
  /** the process that claimed the run (plan.run_by): only its write may commit */
  runBy?: string,
  /** true = the plan was cancelled: abandon the write */
  shouldStop?: () => boolean,
): Promise<WrittenPlan> {
  const started = performance.now();
  const isStopped = () => shouldStop?.() === true;
  const stopped = () => {
    if (isStopped()) throw new PlanNoLongerRunningError(`plan ${planId} is no longer running`);
  };
  const fingerprint = planFingerprint({
    ...input,
    offerIds: input.catalog.offers.map((o) => o.id),
    channelIds: input.catalog.channels.map((c) => c.id),
  });
  stopped();
  const writeOwn = input.membership !== undefined && input.membershipFrom === undefined;
  const seconds = await inTransaction(pool, async (client) => {
    await writeAssignments(client, planId, input, isStopped);
    failpoint?.("assignments");
    stopped();
    if (writeOwn)
      await writeMembership(client, planId, input.instance, input.membership!, isStopped);
    failpoint?.("membership");
    stopped();
    await writeSmallTables(client, planId, input);
    failpoint?.("report");
    const seconds = (performance.now() - started) / 1000;
    await markSucceeded(client, planId, input, fingerprint, seconds, runBy);
    return seconds;
  });
  // Fresh partitions have no statistics until autovacuum gets to them; the first reports and
  // assignment pages would be planned blind. Sampling costs well under a second.
  await pool
    .query(`ANALYZE plan_assignment_p${planId}`)
    .then(() => (writeOwn ? pool.query(`ANALYZE plan_cluster_member_p${planId}`) : null))
    .catch(() => undefined);
  return { seconds, fingerprint };
}

/** The plan's status change with its summary, only while `runBy` still runs it. */
async function markSucceeded(
  client: PoolClient,
  planId: number,
  input: PlanRowsInput,
  fingerprint: string,
  seconds: number,
  runBy: string | undefined,
): Promise<void> {
  const { provenance } = input;
  const done = await client.query(
    `UPDATE plan SET status = 'SUCCEEDED', progress = 1, phase = 'done', kpis = $2, timings = $3,
            finished_at = now(),
            membership_plan_id = (SELECT COALESCE(membership_plan_id, id) FROM plan WHERE id = $4),
            fingerprint = $5, dataset_revision = $6, history_revision = $7, provenance = $8,
            run_by = NULL
     WHERE id = $1 AND status = 'RUNNING' AND ($9::text IS NULL OR run_by = $9)`,
    [
      planId,
      JSON.stringify(input.kpis),
      JSON.stringify({ ...input.timings, write: seconds }),
      input.membershipFrom ?? null,
      fingerprint,
      provenance.datasetRevision,
      provenance.historyRevision,
      JSON.stringify(provenance.stored),
      runBy ?? null,
    ],
  );
  if (done.rowCount !== 1)
    throw new PlanNoLongerRunningError(`plan ${planId} is no longer running`);
}

async function writeAssignments(
  client: PoolClient,
  planId: number,
  input: PlanRowsInput,
  isStopped: () => boolean,
): Promise<void> {
  const { instance: ins, catalog, selected, control, wave } = input;
  const offerDb = Int32Array.from(catalog.offers, (o) => o.dbId);
  const channelDb = Int32Array.from(catalog.channels, (c) => c.dbId);
  await writePartition(client, "plan_assignment", planId, async (w) => {
    for (let i = 0; i < ins.numCustomers; i++) {
      // a cancelled write ends its COPY early and is rolled back by the caller (ending the stream
      // cleanly: a COPY left open would hold the connection that has to roll back)
      if ((i & POLL_EVERY_CUSTOMERS_MASK) === 0 && isStopped()) break;
      for (let k = ins.custStart[i]!; k < ins.custStart[i + 1]!; k++) {
        if (!selected[k]) continue;
        await w.row(8);
        w.int4(planId);
        w.int4(ins.customerKey[i]!);
        w.int4(offerDb[ins.optOffer[k]!]!);
        w.int4(channelDb[ins.optChannel[k]!]!);
        w.float8(ins.optReturn[k]!);
        w.float8(ins.optCost[k]!);
        w.text(control?.[k] ? "control" : "treatment");
        w.text(wave ? wave.names[wave.ofOption[k]!]! : null);
      }
    }
  });
}

async function writeMembership(
  client: PoolClient,
  planId: number,
  ins: Instance,
  membership: Int32Array,
  isStopped: () => boolean,
) {
  await writePartition(client, "plan_cluster_member", planId, async (w) => {
    for (let i = 0; i < ins.numCustomers; i++) {
      if ((i & POLL_EVERY_CUSTOMERS_MASK) === 0 && isStopped()) break;
      if (membership[i]! < 0) continue;
      await w.row(3);
      w.int4(planId);
      w.int4(ins.customerKey[i]!);
      w.int4(membership[i]!);
    }
  });
}

/**
 * Builds the plan's partition of `parent` as a fresh table filled by binary COPY, then attaches
 * it. The CHECK lets ATTACH skip its validation scan; the parent's indexes are built on attach.
 */
async function writePartition(
  client: PoolClient,
  parent: string,
  planId: number,
  fill: (w: BinaryCopyWriter) => Promise<void>,
): Promise<void> {
  const part = `${parent}_p${planId}`;
  await client.query(`CREATE TABLE ${part} (LIKE ${parent} INCLUDING DEFAULTS)`);
  const w = new BinaryCopyWriter(client.query(copyFrom(`COPY ${part} FROM STDIN (FORMAT binary)`)));
  await fill(w);
  await w.end();
  await client.query(`ALTER TABLE ${part} ADD CONSTRAINT ${part}_plan CHECK (plan_id = ${planId})`);
  await client.query(`ALTER TABLE ${parent} ATTACH PARTITION ${part} FOR VALUES IN (${planId})`);
}

async function writeSmallTables(
  client: PoolClient,
  planId: number,
  input: PlanRowsInput,
): Promise<void> {
  const { catalog } = input;
  const offerDb = (o: number) => catalog.offers[o]!.dbId;
  const channelDb = (c: number) => catalog.channels[c]!.dbId;
  if (input.clusters?.length) {
    const c = input.clusters;
    await client.query(
      `INSERT INTO plan_cluster (plan_id, cluster_index, segment, size, centroid, mean_return, mean_cost)
       SELECT $1, * FROM unnest($2::int[], $3::text[], $4::int[], $5::jsonb[], $6::float8[], $7::float8[])`,
      [
        planId,
        c.map((x) => x.index),
        c.map((x) => x.segment),
        c.map((x) => x.size),
        c.map((x) => (x.centroid ? JSON.stringify(x.centroid) : null)),
        c.map((x) => x.meanReturn),
        c.map((x) => x.meanCost),
      ],
    );
  }
  if (input.proportions?.length) {
    const p = input.proportions;
    await client.query(
      `INSERT INTO plan_proportion (plan_id, cluster_index, offer_id, channel_id, proportion, customers)
       SELECT $1, * FROM unnest($2::int[], $3::int[], $4::int[], $5::float8[], $6::float8[])`,
      [
        planId,
        p.map((x) => x.cluster),
        p.map((x) => offerDb(x.offer)),
        p.map((x) => channelDb(x.channel)),
        p.map((x) => x.proportion),
        p.map((x) => x.customers),
      ],
    );
  }
  const r = input.constraintReport;
  await client.query(
    `INSERT INTO plan_constraint_report (plan_id, name, kind, sense, activity, bound, slack, dual, binding, report_only, cluster_lp_dual)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::bool[], $10::bool[], $11::float8[])`,
    [
      planId,
      r.map((x) => x.name),
      r.map((x) => x.kind),
      r.map((x) => x.sense),
      r.map((x) => x.activity),
      r.map((x) => x.bound),
      r.map((x) => x.slack),
      r.map((x) => x.dual),
      r.map((x) => x.binding),
      r.map((x) => x.reportOnly === true),
      r.map((x) => x.clusterLpDual ?? null),
    ],
  );
  const s = summarise(input);
  await client.query(
    `INSERT INTO plan_summary (plan_id, segment, offer_id, channel_id, contacts, expected_return, cost)
     SELECT $1, * FROM unnest($2::text[], $3::int[], $4::int[], $5::int[], $6::float8[], $7::float8[])`,
    [
      planId,
      s.map((x) => x.segment),
      s.map((x) => offerDb(x.offer)),
      s.map((x) => channelDb(x.channel)),
      s.map((x) => x.contacts),
      s.map((x) => x.expectedReturn),
      s.map((x) => x.cost),
    ],
  );
}

interface SummaryCell {
  segment: string;
  offer: number;
  channel: number;
  contacts: number;
  expectedReturn: number;
  cost: number;
}

/** Treatment contacts by segment × offer × channel, computed from the arrays (no SQL scan). */
export function summarise(
  input: Pick<PlanRowsInput, "instance" | "selected" | "control">,
): SummaryCell[] {
  const { instance: ins, selected, control } = input;
  const nO = ins.offerIds.length;
  const nC = ins.channelIds.length;
  const nS = ins.segments.length + 1; // last = no segment
  const cells = nS * nO * nC;
  const contacts = new Float64Array(cells);
  const ret = new Float64Array(cells);
  const cost = new Float64Array(cells);
  for (let i = 0; i < ins.numCustomers; i++) {
    const seg = ins.customerSegment[i]! < 0 ? nS - 1 : ins.customerSegment[i]!;
    for (let k = ins.custStart[i]!; k < ins.custStart[i + 1]!; k++) {
      if (!selected[k] || control?.[k]) continue;
      const cell = (seg * nO + ins.optOffer[k]!) * nC + ins.optChannel[k]!;
      contacts[cell]!++;
      ret[cell]! += ins.optReturn[k]!;
      cost[cell]! += ins.optCost[k]!;
    }
  }
  const out: SummaryCell[] = [];
  for (let cell = 0; cell < cells; cell++) {
    if (!contacts[cell]) continue;
    const seg = Math.floor(cell / (nO * nC));
    out.push({
      segment: seg === nS - 1 ? "" : ins.segments[seg]!,
      offer: Math.floor(cell / nC) % nO,
      channel: cell % nC,
      contacts: contacts[cell]!,
      expectedReturn: ret[cell]!,
      cost: cost[cell]!,
    });
  }
  return out;
}
