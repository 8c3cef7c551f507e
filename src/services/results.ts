// Campaign results as operations the CLI and the API share: the holdout a plan run draws, the
// import of a plan's responses, the measured results, and score calibrations learnt from them.
// The statistics are src/results (pure); the counting rules are the plan_outcome view
// (migration 20261124200000_results), which bi.plan_results aggregates too.
import type { Pool } from "pg";
import type { PrismaClient } from "../db/prisma";
import {
  calibrationFactorsByExternalId,
  insertCalibration,
  planStatusAndParameters,
  responseImports,
  resultCells,
  type NewCalibrationFactor,
} from "../db/results";
import { inTransaction } from "../db/transaction";
import { importResponses, type ResponseImportSummary } from "../ingest/responses";
import { computeKpis } from "../optimize/evaluate";
import type { Instance, PlanConstraints } from "../optimize/instance";
import type { PlanResult } from "../optimize/types";
import {
  DEFAULT_PRIOR_STRENGTH,
  measure,
  recalibrate,
  selectControl,
  treatmentOf,
  type CalibrationFactor,
  type PlanResultRows,
} from "../results";
import { ConflictError, InputError, NotFoundError } from "./errors";

// ---------------------------------------------------------------------------------------------
// Plan runs: holdout and calibration
// ---------------------------------------------------------------------------------------------

/** The run parameters this module owns (RunPlanParameters carries them). */
export interface ResultRunParameters {
  /** share of each segment × offer stratum's chosen options held out as control; 0 = none */
  controlShare?: number;
  /** a score calibration whose factors multiply the options' returns for this run */
  calibrationId?: number;
}

/** Rejects parameters a run cannot use; called before a plan is created. */
export async function checkResultParameters(
  prisma: PrismaClient,
  params: ResultRunParameters,
): Promise<void> {
  const s = params.controlShare;
  if (s !== undefined && !(Number.isFinite(s) && s >= 0 && s < 1))
    throw new InputError("input.controlShare", `must be at least 0 and below 1, got ${s}`);
  const id = params.calibrationId;
  if (id !== undefined) {
    if (!Number.isSafeInteger(id) || id < 1)
      throw new InputError("input.calibrationId", `must be a calibration id, got ${id}`);
    const found = await prisma.scoreCalibration.findUnique({ where: { id }, select: { id: true } });
    if (!found) throw new NotFoundError(`score calibration ${id} does not exist`);
  }
}

/** A calibration's factors, by external ids ('' segments are customers without one). */
export function calibrationFactors(
  pool: Pool,
  calibrationId: number,
): Promise<CalibrationFactor[]> {
  return calibrationFactorsByExternalId(pool, calibrationId);
}

export interface Holdout {
  /** 1 per chosen option held out */
  control: Uint8Array;
  /** KPIs to store: the treatment's, with the control group's counts under `control` */
  kpis: Record<string, unknown>;
}

/**
 * Draws the control group of a finished optimisation and recomputes its KPIs over the treatment
 * only. The objective's value, bound, gap and constraint report stay those of the optimised
 * selection (control included): the holdout is drawn after the optimisation, from what it chose.
 */
export function holdOut(
  instance: Instance,
  constraints: PlanConstraints,
  result: PlanResult,
  share: number,
  seed: number,
): Holdout {
  const control = selectControl(instance, result.selected, share, seed);
  const treatment = computeKpis(instance, constraints, treatmentOf(result.selected, control));
  const held = computeKpis(instance, constraints, control);
  return {
    control,
    kpis: {
      ...treatment,
      controlShare: share,
      control: {
        contacts: held.contacts,
        customers: held.customersContacted,
        expectedReturn: held.expectedReturn,
        cost: held.cost,
        contactsByChannel: held.contactsByChannel,
        contactsByOffer: held.contactsByOffer,
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

/** The plan, which must exist and be SUCCEEDED (only those have assignments). */
async function succeededPlan(
  pool: Pool,
  planId: number,
): Promise<{ parameters: Record<string, unknown> }> {
  const plan = await planStatusAndParameters(pool, planId);
  if (!plan) throw new NotFoundError(`plan ${planId} does not exist`);
  if (plan.status !== "SUCCEEDED")
    throw new ConflictError(
      `plan ${planId} is ${plan.status}; only a SUCCEEDED plan has assignments to respond to`,
    );
  return plan;
}

/** Imports a response file (or a directory's responses.csv) for a SUCCEEDED plan. */
export async function importPlanResponses(
  pool: Pool,
  planId: number,
  path: string,
  opts: { importedBy?: string } = {},
): Promise<ResponseImportSummary> {
  await succeededPlan(pool, planId);
  return importResponses(pool, planId, path, opts);
}

// ---------------------------------------------------------------------------------------------
// Measurement
// ---------------------------------------------------------------------------------------------

export const CI_METHOD = "NEWCOMBE_WILSON_95";

export interface PlanResults extends PlanResultRows {
  planId: number;
  /** how the uplift interval is computed: Newcombe's hybrid score interval, 95 % */
  ciMethod: typeof CI_METHOD;
  /** response files imported for the plan */
  imports: number;
  lastImportedAt: Date;
  /** response rows stored (assignments without one did not respond) */
  responses: number;
  /** the calibration the plan ran with, whose factors its predictions include */
  calibrationId: number | null;
}

/**
 * What a plan's campaign measured; null while no response file has been imported for it (a plan
 * without responses has nothing measured, not "nobody responded").
 */
export async function planResults(pool: Pool, planId: number): Promise<PlanResults | null> {
  const plan = await succeededPlan(pool, planId);
  const head = await responseImports(pool, planId);
  if (head.imports === 0) return null;
  const calibrationId = plan.parameters.calibrationId;
  return {
    planId,
    ciMethod: CI_METHOD,
    imports: head.imports,
    // some import exists, so its time does
    lastImportedAt: head.last!,
    responses: head.responses,
    calibrationId: typeof calibrationId === "number" ? calibrationId : null,
    ...measure(await resultCells(pool, planId)),
  };
}

// ---------------------------------------------------------------------------------------------
// Recalibration
// ---------------------------------------------------------------------------------------------

export interface RecalibratedCell {
  segment: string | null;
  offer: string;
  channel: string;
  /** treatment assignments measured; 0 = carried over unmeasured from the base calibration */
  customers: number;
  responders: number;
  predictedResponders: number;
  /** predicted response rate in the source plan (with its calibration) */
  predictedRate: number | null;
  actualRate: number | null;
  previousFactor: number;
  rawFactor: number | null;
  factor: number;
  /** the predicted response rate of these customers with the new factor */
  recalibratedRate: number | null;
}

export interface Recalibration {
  calibrationId: number;
  sourcePlanId: number;
  baseCalibrationId: number | null;
  priorStrength: number;
  cells: RecalibratedCell[];
}

/**
 * A new score calibration from a plan's measured treatment responses, per segment × offer ×
 * channel, shrunk toward the factors the plan ran with (src/results/calibration.ts). Cells of
 * the base calibration the plan did not measure are carried over unchanged, so the new one is
 * complete on its own.
 */
export async function recalibrateFromPlan(
  pool: Pool,
  planId: number,
  opts: { priorStrength?: number; createdBy?: string } = {},
): Promise<Recalibration> {
  const a = opts.priorStrength ?? DEFAULT_PRIOR_STRENGTH;
  if (!(a > 0 && Number.isFinite(a)))
    throw new InputError("priorStrength", `must be a positive number, got ${a}`);
  const results = await planResults(pool, planId);
  if (!results)
    throw new ConflictError(`plan ${planId} has no responses imported; nothing to learn from`);
  const base = results.calibrationId;
  const previous = new Map<string, number>();
  const key = (s: string | null, o: string, c: string) => JSON.stringify([s ?? "", o, c]);
  const baseFactors = base === null ? [] : await calibrationFactors(pool, base);
  for (const f of baseFactors) previous.set(key(f.segment, f.offer, f.channel), f.factor);
  const measured = recalibrate(
    results.cells
      .filter((c) => c.treatment.customers > 0)
      .map((c) => ({
        segment: c.segment,
        offer: c.offer!,
        channel: c.channel!,
        customers: c.treatment.customers,
        responders: c.treatment.responders,
        predictedResponders:
          c.predictedResponseRate === null ? 0 : c.predictedResponseRate * c.treatment.customers,
        previousFactor: previous.get(key(c.segment, c.offer!, c.channel!)) ?? 1,
      })),
    a,
  );
  const seen = new Set(measured.map((c) => key(c.segment, c.offer, c.channel)));
  const carried = baseFactors
    .filter((f) => !seen.has(key(f.segment, f.offer, f.channel)))
    .map((f) => ({
      ...f,
      customers: 0,
      responders: 0,
      predictedResponders: 0,
      previousFactor: f.factor,
      rawFactor: null,
    }));
  const all: NewCalibrationFactor[] = [...measured, ...carried];

  const calibrationId = await inTransaction(pool, (client) =>
    insertCalibration(
      client,
      {
        sourcePlanId: planId,
        baseCalibrationId: base,
        priorStrength: a,
        createdBy: opts.createdBy ?? null,
      },
      all,
    ),
  );
  return {
    calibrationId,
    sourcePlanId: planId,
    baseCalibrationId: base,
    priorStrength: a,
    cells: all.map(recalibratedCell).sort(byCell),
  };
}

const rateOf = (x: number, n: number) => (n > 0 ? x / n : null);

function recalibratedCell(c: NewCalibrationFactor): RecalibratedCell {
  const predictedRate = rateOf(c.predictedResponders, c.customers);
  return {
    segment: c.segment,
    offer: c.offer,
    channel: c.channel,
    customers: c.customers,
    responders: c.responders,
    predictedResponders: c.predictedResponders,
    predictedRate,
    actualRate: rateOf(c.responders, c.customers),
    previousFactor: c.previousFactor,
    rawFactor: c.rawFactor,
    factor: c.factor,
    recalibratedRate:
      predictedRate === null || !(c.previousFactor > 0)
        ? null
        : (predictedRate * c.factor) / c.previousFactor,
  };
}

const byCell = (x: RecalibratedCell, y: RecalibratedCell) =>
  (x.segment ?? "").localeCompare(y.segment ?? "") ||
  x.offer.localeCompare(y.offer) ||
  x.channel.localeCompare(y.channel);
