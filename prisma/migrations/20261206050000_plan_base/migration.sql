-- A what-if names the plan it varies: its base plan, chosen when it is run (the newest SUCCEEDED plain
-- run of the same constraint-set version unless the caller names one). Deleting the base keeps
-- the what-if, without its base.
ALTER TABLE "plan" ADD COLUMN "base_plan_id" INTEGER;
ALTER TABLE "plan" ADD CONSTRAINT "plan_base_plan_id_fkey"
  FOREIGN KEY ("base_plan_id") REFERENCES "plan"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- bi.plans shows what admins see of a plan: its name, notes, approval and base plan. New columns
-- go last, so the view is replaced in place and the BI roles' rights on it stay.
CREATE OR REPLACE VIEW bi.plans AS
SELECT p.id AS plan_id,
       p.version_number,
       s.id AS constraint_set_id,
       s.name AS constraint_set_name,
       v.id AS constraint_set_version_id,
       v.version AS constraint_set_version,
       p.status::text AS status,
       p.method::text AS method,
       COALESCE(p.kpis ->> 'objective', v.definition ->> 'objective', 'EXPECTED_RETURN') AS objective,
       p.scenario,
       p.parameters -> 'overrides' AS overrides,
       COALESCE((p.parameters ->> 'campaignDate')::date, (p.started_at AT TIME ZONE 'UTC')::date)
         AS campaign_date,
       (p.parameters ->> 'seed')::bigint AS seed,
       COALESCE((p.provenance -> 'effective' ->> 'clusters')::bigint,
                (p.parameters ->> 'clusters')::bigint) AS clusters,
       p.parameters ->> 'disaggregation' AS disaggregation,
       COALESCE((p.parameters ->> 'controlShare')::numeric, 0) AS control_share,
       (p.parameters ->> 'calibrationId')::integer AS calibration_id,
       (p.parameters ->> 'warmStartFrom')::integer AS warm_start_from,
       (p.kpis ->> 'expectedReturn')::numeric AS expected_return,
       (p.kpis ->> 'cost')::numeric AS cost,
       CASE WHEN (p.kpis ->> 'cost')::numeric > 0 THEN (p.kpis ->> 'roi')::numeric END AS roi,
       (p.kpis ->> 'contacts')::bigint AS contacts,
       (p.kpis ->> 'upperBound')::numeric AS upper_bound,
       (p.kpis ->> 'gap')::numeric AS gap,
       (p.kpis -> 'baseline' ->> 'expectedReturn')::numeric AS baseline_expected_return,
       (p.kpis -> 'baseline' ->> 'cost')::numeric AS baseline_cost,
       p.requested_by,
       p.created_at,
       p.started_at,
       p.finished_at,
       p.error,
       pc.committed_at,
       pc.committed_by,
       p.dataset_revision,
       p.history_revision,
       p.dataset_revision IS NOT NULL
         AND (p.dataset_revision <> (SELECT revision FROM data_revision WHERE kind = 'dataset')
              OR COALESCE(p.history_revision <> (SELECT revision FROM data_revision WHERE kind = 'history'),
                          false)) AS stale,
       p.fingerprint,
       p.provenance ->> 'softwareVersion' AS software_version,
       p.failed_in_phase,
       p.replay_of,
       p.name,
       p.notes,
       p.approved_at,
       p.approved_by,
       p.base_plan_id
FROM plan p
JOIN constraint_set_version v ON v.id = p.constraint_set_version_id
JOIN constraint_set s ON s.id = v.constraint_set_id
LEFT JOIN plan_commit pc ON pc.plan_id = p.id;

-- BEGIN comments generated from docs/bi.md by scripts/bi-comments.mjs
COMMENT ON VIEW bi.plans IS 'One row per plan: every input it ran with, its outcome and its provenance.';
COMMENT ON COLUMN bi.plans.plan_id IS 'plan id';
COMMENT ON COLUMN bi.plans.version_number IS '1, 2, 3 … within the constraint set';
COMMENT ON COLUMN bi.plans.constraint_set_id IS 'the constraint set';
COMMENT ON COLUMN bi.plans.constraint_set_name IS 'its current name';
COMMENT ON COLUMN bi.plans.constraint_set_version_id IS 'the immutable version the plan used (constraint_set_versions)';
COMMENT ON COLUMN bi.plans.constraint_set_version IS 'that version''s number within its set';
COMMENT ON COLUMN bi.plans.status IS 'QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED';
COMMENT ON COLUMN bi.plans.method IS 'CLUSTER_LP, EXACT or GREEDY';
COMMENT ON COLUMN bi.plans.objective IS 'EXPECTED_RETURN or ROMI';
COMMENT ON COLUMN bi.plans.scenario IS 'a what-if run with overrides on top of its constraint-set version';
COMMENT ON COLUMN bi.plans.overrides IS 'the what-if''s fields that replaced the version''s for this run; null for a plain run';
COMMENT ON COLUMN bi.plans.campaign_date IS 'the day the contacts go out: as asked, else the UTC day the run started; contact policies count history before it';
COMMENT ON COLUMN bi.plans.seed IS 'the random seed asked for (null: the default)';
COMMENT ON COLUMN bi.plans.clusters IS 'clusters the cluster LP used (as run), else as asked; null for other methods';
COMMENT ON COLUMN bi.plans.disaggregation IS 'how cluster proportions became assignments, as asked; null for the default';
COMMENT ON COLUMN bi.plans.control_share IS 'share of each segment × offer stratum held out as control; 0 = none';
COMMENT ON COLUMN bi.plans.calibration_id IS 'the score calibration the run applied, else null';
COMMENT ON COLUMN bi.plans.warm_start_from IS 'the plan whose clusters and prices the run started from, else null';
COMMENT ON COLUMN bi.plans.expected_return IS 'Σ expected return of the treatment assignments (null until SUCCEEDED)';
COMMENT ON COLUMN bi.plans.cost IS 'Σ cost of the treatment assignments';
COMMENT ON COLUMN bi.plans.roi IS '(expected_return − cost) / cost; null when cost is 0';
COMMENT ON COLUMN bi.plans.contacts IS 'treatment assignments';
COMMENT ON COLUMN bi.plans.upper_bound IS 'certified upper bound on the objective (CLUSTER_LP, EXACT); null when unknown';
COMMENT ON COLUMN bi.plans.gap IS '(upper_bound − value) / upper_bound';
COMMENT ON COLUMN bi.plans.baseline_expected_return IS 'the paper''s ad-hoc plan on the same data and constraints; null when it is infeasible';
COMMENT ON COLUMN bi.plans.baseline_cost IS 'its cost';
COMMENT ON COLUMN bi.plans.requested_by IS 'API key name, or null for the CLI';
COMMENT ON COLUMN bi.plans.created_at IS 'queued at';
COMMENT ON COLUMN bi.plans.started_at IS 'a worker took it';
COMMENT ON COLUMN bi.plans.finished_at IS 'succeeded, failed or was cancelled';
COMMENT ON COLUMN bi.plans.error IS 'why it failed';
COMMENT ON COLUMN bi.plans.committed_at IS 'when its contacts were committed to the contact history (plan commit); null if not';
COMMENT ON COLUMN bi.plans.committed_by IS 'who committed them';
COMMENT ON COLUMN bi.plans.dataset_revision IS 'the dataset revision the plan read (every import that changes data moves it on)';
COMMENT ON COLUMN bi.plans.history_revision IS 'the contact-history revision its contact policies read; null without policies';
COMMENT ON COLUMN bi.plans.stale IS 'the dataset or the history has moved on since: a replay would be refused';
COMMENT ON COLUMN bi.plans.fingerprint IS 'SHA-256 of the plan''s sorted assignment rows (docs/reproducibility.md); equal = same plan';
COMMENT ON COLUMN bi.plans.software_version IS 'the offerplan version that computed it';
COMMENT ON COLUMN bi.plans.failed_in_phase IS 'the phase a FAILED or CANCELLED run stopped in';
COMMENT ON COLUMN bi.plans.replay_of IS 'the plan this one replays (plan replay), else null';
COMMENT ON COLUMN bi.plans.name IS 'what the plan''s users call it, else null';
COMMENT ON COLUMN bi.plans.notes IS 'why it was run, else null';
COMMENT ON COLUMN bi.plans.approved_at IS 'when an ADMIN approved it (plan approve); null if not';
COMMENT ON COLUMN bi.plans.approved_by IS 'the API key name that approved it';
COMMENT ON COLUMN bi.plans.base_plan_id IS 'a what-if''s base: the plan named, else the newest SUCCEEDED plain run of its version';
-- END comments generated from docs/bi.md
