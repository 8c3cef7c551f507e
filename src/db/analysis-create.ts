// A QUEUED analysis row, written in the transaction that also queues its job
// (services/analyses.ts).
import type { PoolClient } from "pg";
import type { Analysis, AnalysisKind, PlanMethod } from "../generated/prisma/client";
import { ANALYSIS_COLUMNS } from "./analysis-reads";

export interface NewAnalysis {
  kind: AnalysisKind;
  constraintSetVersionId: number;
  method: PlanMethod;
  /** stored as JSON: everything needed to rerun it */
  parameters: unknown;
  requestedBy?: string;
}

export async function insertAnalysis(client: PoolClient, a: NewAnalysis): Promise<Analysis> {
  const { rows } = await client.query<Analysis>(
    `INSERT INTO analysis (kind, constraint_set_version_id, method, parameters, requested_by)
     VALUES ($1, $2, $3, $4::jsonb, $5)
     RETURNING ${ANALYSIS_COLUMNS}`,
    [
      a.kind,
      a.constraintSetVersionId,
      a.method,
      JSON.stringify(a.parameters),
      a.requestedBy ?? null,
    ],
  );
  return rows[0]!;
}
