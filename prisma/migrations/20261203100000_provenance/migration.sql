-- Plans people can audit: every plan records what it was computed from (the dataset and contact
-- history revisions, the effective parameters, the software version) and a fingerprint of its
-- assignments, so that a replay can say whether it reproduced the plan.

-- A revision per kind of input data, bumped by every import that changes it. A plan remembers the
-- revisions it read; when they move on, the plan is stale and can no longer be replayed.
CREATE TABLE "data_revision" (
  "kind"       TEXT PRIMARY KEY CHECK ("kind" IN ('dataset', 'history')),
  "revision"   BIGINT NOT NULL,
  "changed_at" TIMESTAMPTZ(3)
);
INSERT INTO "data_revision" ("kind", "revision", "changed_at")
SELECT 'dataset', COALESCE(max(id), 0), max(finished_at) FROM "import_run";
INSERT INTO "data_revision" ("kind", "revision", "changed_at")
SELECT 'history', COALESCE(max(id), 0), max(imported_at) FROM "contact_import";

ALTER TABLE "import_run" ADD COLUMN "revision" BIGINT;

ALTER TABLE "plan" ADD COLUMN "dataset_revision" BIGINT;
ALTER TABLE "plan" ADD COLUMN "history_revision" BIGINT;
ALTER TABLE "plan" ADD COLUMN "fingerprint" TEXT;
ALTER TABLE "plan" ADD COLUMN "provenance" JSONB;
ALTER TABLE "plan" ADD COLUMN "failed_in_phase" TEXT;
ALTER TABLE "plan" ADD COLUMN "replay_of" INTEGER;
ALTER TABLE "plan" ADD CONSTRAINT "plan_replay_of_fkey"
  FOREIGN KEY ("replay_of") REFERENCES "plan"("id") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "analysis" ADD COLUMN "phase" TEXT;
ALTER TABLE "analysis" ADD COLUMN "failed_in_phase" TEXT;

-- The report's dual is the price that supports the stored plan; the cluster LP's own dual stays
-- beside it.
ALTER TABLE "plan_constraint_report" ADD COLUMN "cluster_lp_dual" DOUBLE PRECISION;

CREATE OR REPLACE VIEW "bi_constraint_report" AS
SELECT plan_id, name, kind, sense, activity, bound, slack, dual, binding, report_only, cluster_lp_dual
FROM "plan_constraint_report";

CREATE OR REPLACE VIEW "bi_plans" AS
SELECT p.id                                          AS plan_id,
       p.version_number,
       s.id                                          AS constraint_set_id,
       s.name                                        AS constraint_set_name,
       v.id                                          AS constraint_set_version_id,
       v.version                                     AS constraint_set_version,
       p.status::text                                AS status,
       p.method::text                                AS method,
       COALESCE(p.kpis ->> 'objective', v.definition ->> 'objective', 'EXPECTED_RETURN') AS objective,
       p.scenario,
       (p.kpis ->> 'expectedReturn')::float8         AS expected_return,
       (p.kpis ->> 'cost')::float8                   AS cost,
       CASE WHEN (p.kpis ->> 'cost')::float8 > 0 THEN (p.kpis ->> 'roi')::float8 END AS roi,
       (p.kpis ->> 'contacts')::int                  AS contacts,
       (p.kpis ->> 'upperBound')::float8             AS upper_bound,
       (p.kpis ->> 'gap')::float8                    AS gap,
       (p.kpis -> 'baseline' ->> 'expectedReturn')::float8 AS baseline_expected_return,
       (p.kpis -> 'baseline' ->> 'cost')::float8     AS baseline_cost,
       p.requested_by,
       p.created_at,
       p.started_at,
       p.finished_at,
       p.error,
       p.dataset_revision,
       p.history_revision,
       (p.dataset_revision IS NOT NULL AND (
          p.dataset_revision <> (SELECT revision FROM "data_revision" WHERE kind = 'dataset')
          OR COALESCE(p.history_revision <> (SELECT revision FROM "data_revision" WHERE kind = 'history'), false)
       ))                                            AS stale,
       p.fingerprint,
       p.provenance ->> 'softwareVersion'            AS software_version,
       p.failed_in_phase,
       p.replay_of
FROM "plan" p
JOIN "constraint_set_version" v ON v.id = p.constraint_set_version_id
JOIN "constraint_set" s ON s.id = v.constraint_set_id;
