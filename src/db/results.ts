// The campaign results' tables as the results service uses them: the responses imported for a
// plan (response_import, plan_response), the plan_outcome view's counts per cell, and score
// calibrations with their factors. The response file import's SQL is in src/ingest/responses.ts.
import type { PoolClient } from "pg";
import type { CalibrationFactor, ResultCell } from "../results";
import type { Queryable } from "./handle";

/** A calibration's factors, by external ids ('' segments are customers without one). */
export async function calibrationFactorsByExternalId(
  db: Queryable,
  calibrationId: number,
): Promise<CalibrationFactor[]> {
  const { rows } = await db.query<{
    segment: string;
    offer: string;
    channel: string;
    factor: number;
  }>(
    `SELECT f.segment, o.external_id AS offer, ch.external_id AS channel, f.factor
     FROM score_calibration_factor f
     JOIN offer o ON o.id = f.offer_id JOIN channel ch ON ch.id = f.channel_id
     WHERE f.calibration_id = $1`,
    [calibrationId],
  );
  return rows.map((r) => ({ ...r, segment: r.segment === "" ? null : r.segment }));
}

/** The plan's status and run parameters, or null when it does not exist. */
export async function planStatusAndParameters(
  db: Queryable,
  planId: number,
): Promise<{ status: string; parameters: Record<string, unknown> } | null> {
  const { rows } = await db.query<{ status: string; parameters: Record<string, unknown> }>(
    "SELECT status, parameters FROM plan WHERE id = $1",
    [planId],
  );
  return rows[0] ?? null;
}

export interface ResponseImports {
  /** response files imported for the plan */
  imports: number;
  /** null while there are none */
  last: Date | null;
  /** response rows stored */
  responses: number;
}

export async function responseImports(db: Queryable, planId: number): Promise<ResponseImports> {
  const { rows } = await db.query<ResponseImports>(
    `SELECT count(*)::int AS imports, max(imported_at) AS last,
            (SELECT count(*)::int FROM plan_response WHERE plan_id = $1) AS responses
     FROM response_import WHERE plan_id = $1`,
    [planId],
  );
  return rows[0]!;
}

interface CellRow {
  segment: string | null;
  offer: string;
  channel: string;
  t_n: number;
  t_x: number;
  t_rev: number;
  c_n: number;
  c_x: number;
  c_rev: number;
  p_sum: number;
  p_n: number;
}

/** Counts per segment × offer × channel cell of a plan's outcomes (external ids). */
export async function resultCells(db: Queryable, planId: number): Promise<ResultCell[]> {
  const { rows } = await db.query<CellRow>(
    `SELECT po.segment, o.external_id AS offer, ch.external_id AS channel,
            count(*) FILTER (WHERE po."group" = 'treatment')::int AS t_n,
            count(*) FILTER (WHERE po."group" = 'treatment' AND po.responded)::int AS t_x,
            COALESCE(sum(po.revenue) FILTER (WHERE po."group" = 'treatment'), 0)::float8 AS t_rev,
            count(*) FILTER (WHERE po."group" = 'control')::int AS c_n,
            count(*) FILTER (WHERE po."group" = 'control' AND po.responded)::int AS c_x,
            COALESCE(sum(po.revenue) FILTER (WHERE po."group" = 'control'), 0)::float8 AS c_rev,
            COALESCE(sum(po.predicted_probability) FILTER (WHERE po."group" = 'treatment'), 0)::float8 AS p_sum,
            count(po.predicted_probability) FILTER (WHERE po."group" = 'treatment')::int AS p_n
     FROM plan_outcome po
     JOIN offer o ON o.id = po.offer_id JOIN channel ch ON ch.id = po.channel_id
     WHERE po.plan_id = $1
     GROUP BY 1, 2, 3`,
    [planId],
  );
  return rows.map((r) => ({
    segment: r.segment,
    offer: r.offer,
    channel: r.channel,
    treatment: { customers: r.t_n, responders: r.t_x, revenue: r.t_rev },
    control: { customers: r.c_n, responders: r.c_x, revenue: r.c_rev },
    predictedSum: r.p_sum,
    predictedCount: r.p_n,
  }));
}

export interface NewCalibration {
  sourcePlanId: number;
  baseCalibrationId: number | null;
  priorStrength: number;
  createdBy: string | null;
}

/** One factor of a new calibration, with what it was learnt from. */
export interface NewCalibrationFactor extends CalibrationFactor {
  previousFactor: number;
  rawFactor: number | null;
  customers: number;
  responders: number;
  predictedResponders: number;
}

/**
 * Stores the calibration and its factors in the caller's transaction; returns its id. Throws
 * when a factor's offer or channel is gone (its row would silently be missing).
 */
export async function insertCalibration(
  client: PoolClient,
  c: NewCalibration,
  factors: readonly NewCalibrationFactor[],
): Promise<number> {
  const created = await client.query<{ id: number }>(
    `INSERT INTO score_calibration (source_plan_id, base_calibration_id, prior_strength, created_by)
     VALUES ($1, $2, $3, $4) RETURNING id`,
    [c.sourcePlanId, c.baseCalibrationId, c.priorStrength, c.createdBy],
  );
  const calibrationId = created.rows[0]!.id;
  const inserted = await client.query(
    `INSERT INTO score_calibration_factor (calibration_id, segment, offer_id, channel_id, factor,
       previous_factor, raw_factor, customers, responders, predicted_responders)
     SELECT $1, f.segment, o.id, ch.id, f.factor, f.previous_factor, f.raw_factor, f.customers,
            f.responders, f.predicted_responders
     FROM unnest($2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::float8[],
                 $8::int[], $9::int[], $10::float8[])
          AS f(segment, offer, channel, factor, previous_factor, raw_factor, customers,
               responders, predicted_responders)
     JOIN offer o ON o.external_id = f.offer JOIN channel ch ON ch.external_id = f.channel`,
    [
      calibrationId,
      factors.map((f) => f.segment ?? ""),
      factors.map((f) => f.offer),
      factors.map((f) => f.channel),
      factors.map((f) => f.factor),
      factors.map((f) => f.previousFactor),
      factors.map((f) => f.rawFactor),
      factors.map((f) => f.customers),
      factors.map((f) => f.responders),
      factors.map((f) => f.predictedResponders),
    ],
  );
  if (inserted.rowCount !== factors.length)
    throw new Error(`calibration ${calibrationId}: an offer or channel disappeared meanwhile`);
  return calibrationId;
}
