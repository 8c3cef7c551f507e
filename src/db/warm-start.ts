// A warm start read back from a stored plan: its cluster membership (by customer), its clusters
// and its constraint report's prices. Always read from the database, never from a worker's memory,
// so that a plan that names a warm start gets the same start in every process.
import type { Pool } from "pg";
import type { Instance } from "../optimize/instance";
import type { ClusterSummary, ConstraintKind, ConstraintReportRow, Reuse } from "../optimize/types";
import { copyOutBinary } from "./copy-out";

/** `clusters`: also the membership and clusters (CLUSTER_LP); EXACT starts from the prices only. */
export async function loadWarmStart(
  pool: Pool,
  planId: number,
  ins: Instance,
  clusters: boolean,
): Promise<Reuse> {
  const [membership, clusterRows, report] = await Promise.all([
    clusters ? loadMembership(pool, planId, ins) : null,
    pool.query<{
      index: number;
      segment: string | null;
      size: number;
      centroid: number[] | null;
      mean_return: number;
      mean_cost: number;
    }>(
      `SELECT cluster_index AS index, segment, size, centroid, mean_return, mean_cost
       FROM plan_cluster WHERE plan_id = $1 ORDER BY cluster_index`,
      [planId],
    ),
    pool.query<{
      name: string;
      kind: ConstraintKind;
      sense: ConstraintReportRow["sense"];
      activity: number;
      bound: number;
      slack: number;
      dual: number | null;
      binding: boolean;
    }>(
      `SELECT name, kind, sense, activity, bound, slack, dual, binding
       FROM plan_constraint_report WHERE plan_id = $1 ORDER BY name`,
      [planId],
    ),
  ]);
  const summaries: ClusterSummary[] = clusterRows.rows.map((c) => ({
    index: c.index,
    segment: c.segment,
    size: c.size,
    meanReturn: c.mean_return,
    meanCost: c.mean_cost,
    centroid: c.centroid ?? [],
  }));
  return {
    membership: membership ?? undefined,
    clusters: summaries.length > 0 ? summaries : undefined,
    constraintReport: report.rows,
  };
}

/** Cluster per instance customer (−1 where none), or null when the plan has no membership. */
async function loadMembership(
  pool: Pool,
  planId: number,
  ins: Instance,
): Promise<Int32Array | null> {
  let maxKey = 0;
  for (let i = 0; i < ins.numCustomers; i++) maxKey = Math.max(maxKey, ins.customerKey[i]!);
  const indexOfKey = new Int32Array(maxKey + 1).fill(-1);
  for (let i = 0; i < ins.numCustomers; i++) indexOfKey[ins.customerKey[i]!] = i;
  const membership = new Int32Array(ins.numCustomers).fill(-1);
  const client = await pool.connect();
  try {
    const rows = await copyOutBinary(
      client,
      `COPY (SELECT customer_id, cluster_index FROM plan_membership WHERE plan_id = ${Number(planId)})
       TO STDOUT (FORMAT binary)`,
      ["int4", "int4"],
      (v) => {
        const key = v[0]!;
        const i = key <= maxKey ? indexOfKey[key]! : -1;
        if (i >= 0) membership[i] = v[1]!;
      },
    );
    return rows > 0 ? membership : null;
  } finally {
    client.release();
  }
}
