-- The BI contract moves into a schema of its own, `bi`: everything the BI role may read, and
-- nothing else. Facts (plans, assignments, reports, results) are joined by dimensions (offers,
-- channels, segments, customers, constraint-set versions, waves). Money and ratios are numeric
-- (the float8 value as computed, to its 15 significant digits), counts bigint, days date.
-- The public.bi_* views and function are dropped: docs/bi.md lists the new names.
-- The COMMENT ON statements at the end are generated from docs/bi.md (scripts/bi-comments.mjs).

CREATE SCHEMA "bi";

-- Dimensions ------------------------------------------------------------------------------------

CREATE VIEW bi.offers AS
SELECT o.external_id AS offer_id,
       o.name,
       o.category,
       o.min_volume::bigint AS min_contacts,
       o.max_volume::bigint AS max_contacts,
       CASE WHEN o.all_channels THEN (SELECT array_agg(ch.external_id ORDER BY ch.external_id) FROM channel ch)
            ELSE (SELECT array_agg(ch.external_id ORDER BY ch.external_id)
                  FROM offer_channel oc JOIN channel ch ON ch.id = oc.channel_id
                  WHERE oc.offer_id = o.id)
       END AS channel_ids,
       o.attributes
FROM offer o;

CREATE VIEW bi.channels AS
SELECT ch.external_id AS channel_id,
       ch.name,
       ch.cost_per_contact::numeric AS cost_per_contact,
       ch.capacity::bigint AS capacity,
       ch.response_factor::numeric AS response_factor,
       ch.attributes
FROM channel ch;

CREATE VIEW bi.segments AS
SELECT NULLIF(c.segment, '') AS segment,
       count(*) AS customers,
       count(*) FILTER (WHERE c.do_not_contact) AS do_not_contact
FROM customer c
GROUP BY NULLIF(c.segment, '');

CREATE VIEW bi.customers AS
SELECT c.external_id AS customer_id,
       NULLIF(c.segment, '') AS segment,
       c.do_not_contact,
       c.attributes
FROM customer c;

CREATE VIEW bi.customer_attributes AS
SELECT c.external_id AS customer_id,
       a.key AS attribute,
       jsonb_typeof(a.value) AS value_type,
       CASE jsonb_typeof(a.value) WHEN 'string' THEN a.value #>> '{}' END AS text_value,
       CASE jsonb_typeof(a.value) WHEN 'number' THEN (a.value #>> '{}')::numeric END AS number_value,
       CASE jsonb_typeof(a.value) WHEN 'boolean' THEN (a.value #>> '{}')::boolean END AS boolean_value
FROM customer c
CROSS JOIN LATERAL jsonb_each(CASE jsonb_typeof(c.attributes) WHEN 'object' THEN c.attributes
                                  ELSE '{}'::jsonb END) a;

CREATE VIEW bi.constraint_set_versions AS
SELECT v.id AS constraint_set_version_id,
       s.id AS constraint_set_id,
       s.name AS constraint_set_name,
       v.version AS constraint_set_version,
       v.version = max(v.version) OVER (PARTITION BY s.id) AS latest,
       s.archived_at IS NOT NULL AS archived,
       COALESCE(v.definition ->> 'objective', 'EXPECTED_RETURN') AS objective,
       (v.definition ->> 'budget')::numeric AS budget,
       (v.definition ->> 'hurdleRate')::numeric AS hurdle_rate,
       COALESCE((v.definition ->> 'maxOffersPerCustomer')::bigint, 1) AS max_offers_per_customer,
       COALESCE(jsonb_array_length(v.definition -> 'waves'), 0)::bigint AS waves,
       COALESCE(v.definition -> 'channelCapacities', '[]') AS channel_capacities,
       COALESCE(v.definition -> 'offerVolumes', '[]') AS offer_volumes,
       COALESCE(v.definition -> 'segmentRules', '[]') AS segment_rules,
       v.definition - ARRAY['name', 'objective', 'budget', 'hurdleRate', 'maxOffersPerCustomer',
                            'channelCapacities', 'offerVolumes', 'segmentRules', 'waves']
         AS contact_policies,
       v.definition,
       v.created_by,
       v.created_at
FROM constraint_set_version v
JOIN constraint_set s ON s.id = v.constraint_set_id;

CREATE VIEW bi.waves AS
SELECT v.id AS constraint_set_version_id,
       w.ordinality::bigint AS wave_number,
       w.value ->> 'name' AS wave,
       (w.value ->> 'offsetDays')::bigint AS offset_days,
       (w.value ->> 'budget')::numeric AS budget,
       COALESCE(w.value -> 'channelCapacities', '[]') AS channel_capacities
FROM constraint_set_version v
CROSS JOIN LATERAL jsonb_array_elements(COALESCE(v.definition -> 'waves', '[]')) WITH ORDINALITY w;

-- Facts ----------------------------------------------------------------------------------------

CREATE VIEW bi.plans AS
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
       p.replay_of
FROM plan p
JOIN constraint_set_version v ON v.id = p.constraint_set_version_id
JOIN constraint_set s ON s.id = v.constraint_set_id
LEFT JOIN plan_commit pc ON pc.plan_id = p.id;

CREATE VIEW bi.assignments AS
SELECT a.plan_id,
       cu.external_id AS customer_id,
       NULLIF(cu.segment, '') AS segment,
       o.external_id AS offer_id,
       ch.external_id AS channel_id,
       a.expected_return::numeric AS expected_return,
       a.cost::numeric AS cost,
       a."group",
       a.wave
FROM plan_assignment a
JOIN customer cu ON cu.id = a.customer_id
JOIN offer o ON o.id = a.offer_id
JOIN channel ch ON ch.id = a.channel_id;

CREATE VIEW bi.offer_channel_frequency AS
SELECT s.plan_id,
       o.external_id AS offer_id,
       ch.external_id AS channel_id,
       sum(s.contacts) AS contacts,
       sum(s.contacts)::numeric / NULLIF(sum(sum(s.contacts)) OVER (PARTITION BY s.plan_id), 0) AS share,
       sum(s.expected_return)::numeric AS expected_return,
       sum(s.cost)::numeric AS cost
FROM plan_summary s
JOIN offer o ON o.id = s.offer_id
JOIN channel ch ON ch.id = s.channel_id
GROUP BY s.plan_id, o.external_id, ch.external_id;

CREATE VIEW bi.channel_profitability AS
SELECT p.id AS plan_id,
       ch.external_id AS channel_id,
       COALESCE(sum(s.contacts), 0) AS contacts,
       COALESCE(sum(s.expected_return), 0)::numeric AS expected_return,
       COALESCE(sum(s.cost), 0)::numeric AS cost,
       (COALESCE(sum(s.expected_return), 0) - COALESCE(sum(s.cost), 0))::numeric AS profit,
       ((sum(s.expected_return) - sum(s.cost)) / NULLIF(sum(s.cost), 0))::numeric AS roi
FROM plan p
CROSS JOIN channel ch
LEFT JOIN plan_summary s ON s.plan_id = p.id AND s.channel_id = ch.id
WHERE p.status = 'SUCCEEDED'
GROUP BY p.id, ch.external_id;

CREATE VIEW bi.constraint_report AS
SELECT plan_id, name, kind, sense,
       activity::numeric AS activity,
       bound::numeric AS bound,
       slack::numeric AS slack,
       dual::numeric AS dual,
       binding,
       report_only,
       cluster_lp_dual::numeric AS cluster_lp_dual
FROM plan_constraint_report;

CREATE VIEW bi.segment_summary AS
SELECT s.plan_id,
       NULLIF(s.segment, '') AS segment,
       sum(s.contacts) AS contacts,
       sum(s.expected_return)::numeric AS expected_return,
       sum(s.cost)::numeric AS cost,
       ((sum(s.expected_return) - sum(s.cost)) / NULLIF(sum(s.cost), 0))::numeric AS roi
FROM plan_summary s
GROUP BY s.plan_id, s.segment;

CREATE VIEW bi.cluster_summary AS
SELECT c.plan_id,
       c.cluster_index,
       c.segment,
       c.size::bigint AS size,
       c.mean_return::numeric AS mean_return,
       c.mean_cost::numeric AS mean_cost,
       COALESCE(sum(pp.customers), 0)::numeric AS lp_contacts,
       COALESCE(sum(pp.proportion), 0)::numeric AS lp_offers_per_member
FROM plan_cluster c
LEFT JOIN plan_proportion pp ON pp.plan_id = c.plan_id AND pp.cluster_index = c.cluster_index
GROUP BY c.plan_id, c.cluster_index, c.segment, c.size, c.mean_return, c.mean_cost;

-- The intervals of bi.plan_results, callable by analysts too (they were results_wilson and
-- results_uplift_ci in public, where the BI role cannot call them).
CREATE FUNCTION bi.wilson_interval(x integer, n integer, OUT low float8, OUT high float8)
RETURNS record LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN n > 0 THEN GREATEST(0, c - h) END,
         CASE WHEN n > 0 THEN LEAST(1, c + h) END
  FROM (SELECT 1.959963984540054::float8 AS z) k,
       LATERAL (SELECT CASE WHEN n > 0 THEN x::float8 / n END AS p) q,
       LATERAL (SELECT CASE WHEN n > 0 THEN (x + z * z / 2) / (n + z * z) END AS c,
                       CASE WHEN n > 0 THEN
                         (z * sqrt(n::float8)) / (n + z * z) * sqrt(p * (1 - p) + z * z / (4 * n))
                       END AS h) w
$$;

CREATE FUNCTION bi.uplift_interval(x1 integer, n1 integer, x2 integer, n2 integer,
                                   OUT low float8, OUT high float8)
RETURNS record LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN n1 > 0 AND n2 > 0 THEN
           (p1 - p2) - sqrt((p1 - w1.low) ^ 2 + (w2.high - p2) ^ 2) END,
         CASE WHEN n1 > 0 AND n2 > 0 THEN
           (p1 - p2) + sqrt((w1.high - p1) ^ 2 + (p2 - w2.low) ^ 2) END
  FROM (SELECT CASE WHEN n1 > 0 THEN x1::float8 / n1 END AS p1,
               CASE WHEN n2 > 0 THEN x2::float8 / n2 END AS p2) q,
       bi.wilson_interval(x1, n1) w1,
       bi.wilson_interval(x2, n2) w2
$$;

CREATE VIEW bi.plan_results AS
SELECT p.id AS plan_id,
       CASE g."grouping" WHEN 0 THEN 'cell' WHEN 3 THEN 'segment' WHEN 5 THEN 'offer'
                         WHEN 6 THEN 'channel' ELSE 'total' END AS level,
       g.segment,
       o.external_id AS offer_id,
       ch.external_id AS channel_id,
       g.treatment_customers::bigint AS treatment_customers,
       g.control_customers::bigint AS control_customers,
       g.treatment_responders::bigint AS treatment_responders,
       g.control_responders::bigint AS control_responders,
       (g.treatment_responders::float8 / NULLIF(g.treatment_customers, 0))::numeric
         AS treatment_response_rate,
       (g.control_responders::float8 / NULLIF(g.control_customers, 0))::numeric
         AS control_response_rate,
       (g.treatment_responders::float8 / NULLIF(g.treatment_customers, 0)
        - g.control_responders::float8 / NULLIF(g.control_customers, 0))::numeric AS uplift,
       ci.low::numeric AS uplift_ci_low,
       ci.high::numeric AS uplift_ci_high,
       g.treatment_revenue::numeric AS treatment_revenue,
       g.control_revenue::numeric AS control_revenue,
       (g.treatment_revenue / NULLIF(g.treatment_customers, 0))::numeric
         AS treatment_revenue_per_customer,
       (g.control_revenue / NULLIF(g.control_customers, 0))::numeric AS control_revenue_per_customer,
       (g.treatment_revenue / NULLIF(g.treatment_customers, 0)
        - g.control_revenue / NULLIF(g.control_customers, 0))::numeric AS revenue_uplift_per_customer,
       g.predicted_response_rate::numeric AS predicted_response_rate,
       (g.treatment_responders::float8 / NULLIF(g.treatment_customers, 0)
        / NULLIF(g.predicted_response_rate, 0))::numeric AS actual_to_predicted
FROM plan p
CROSS JOIN LATERAL (
  SELECT po.segment, po.offer_id, po.channel_id,
         GROUPING(po.segment, po.offer_id, po.channel_id) AS "grouping",
         count(*) FILTER (WHERE po."group" = 'treatment')::integer AS treatment_customers,
         count(*) FILTER (WHERE po."group" = 'control')::integer AS control_customers,
         count(*) FILTER (WHERE po."group" = 'treatment' AND po.responded)::integer AS treatment_responders,
         count(*) FILTER (WHERE po."group" = 'control' AND po.responded)::integer AS control_responders,
         COALESCE(sum(po.revenue) FILTER (WHERE po."group" = 'treatment'), 0) AS treatment_revenue,
         COALESCE(sum(po.revenue) FILTER (WHERE po."group" = 'control'), 0) AS control_revenue,
         avg(po.predicted_probability) FILTER (WHERE po."group" = 'treatment') AS predicted_response_rate
  FROM plan_outcome po
  WHERE po.plan_id = p.id
  GROUP BY GROUPING SETS ((po.segment, po.offer_id, po.channel_id), (po.segment), (po.offer_id),
                          (po.channel_id), ())
) g
LEFT JOIN offer o ON o.id = g.offer_id
LEFT JOIN channel ch ON ch.id = g.channel_id
CROSS JOIN LATERAL bi.uplift_interval(g.treatment_responders, g.treatment_customers,
                                   g.control_responders, g.control_customers) ci(low, high)
WHERE EXISTS (SELECT 1 FROM response_import ri WHERE ri.plan_id = p.id);

-- Reads only bi views, with its caller's rights: the BI role needs no right on any table.
CREATE FUNCTION bi.plan_comparison(plan_a integer, plan_b integer)
RETURNS TABLE (offer_id text, channel_id text,
               contacts_a bigint, contacts_b bigint, contacts_delta bigint,
               expected_return_a numeric, expected_return_b numeric, expected_return_delta numeric,
               cost_a numeric, cost_b numeric, cost_delta numeric)
LANGUAGE plpgsql STABLE
AS $$
DECLARE
  asked integer;
  found_status text;
BEGIN
  FOREACH asked IN ARRAY ARRAY[plan_a, plan_b] LOOP
    SELECT p.status INTO found_status FROM bi.plans p WHERE p.plan_id = asked;
    IF asked IS NULL OR found_status IS NULL THEN
      RAISE EXCEPTION 'plan % does not exist', COALESCE(asked::text, 'null')
        USING ERRCODE = 'no_data_found', HINT = 'plan ids are in bi.plans';
    END IF;
    IF found_status <> 'SUCCEEDED' THEN
      RAISE EXCEPTION 'plan % is %: only a SUCCEEDED plan has assignments to compare',
        asked, found_status USING ERRCODE = 'invalid_parameter_value';
    END IF;
  END LOOP;
  RETURN QUERY
  SELECT COALESCE(a.offer_id, b.offer_id),
         COALESCE(a.channel_id, b.channel_id),
         COALESCE(a.contacts, 0)::bigint,
         COALESCE(b.contacts, 0)::bigint,
         (COALESCE(b.contacts, 0) - COALESCE(a.contacts, 0))::bigint,
         COALESCE(a.expected_return, 0),
         COALESCE(b.expected_return, 0),
         COALESCE(b.expected_return, 0) - COALESCE(a.expected_return, 0),
         COALESCE(a.cost, 0),
         COALESCE(b.cost, 0),
         COALESCE(b.cost, 0) - COALESCE(a.cost, 0)
  FROM (SELECT * FROM bi.offer_channel_frequency f WHERE f.plan_id = plan_a) a
  FULL JOIN (SELECT * FROM bi.offer_channel_frequency f WHERE f.plan_id = plan_b) b
    ON a.offer_id = b.offer_id AND a.channel_id = b.channel_id
  ORDER BY 1, 2;
END
$$;

-- Nobody but the roles granted them may call them (functions are executable by PUBLIC by default).
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA bi FROM PUBLIC;

DROP FUNCTION "bi_plan_comparison"(integer, integer);
DROP VIEW "bi_plans", "bi_assignments", "bi_offer_channel_frequency", "bi_channel_profitability",
          "bi_constraint_report", "bi_segment_summary", "bi_cluster_summary", "bi_plan_results";
DROP FUNCTION "results_uplift_ci"(integer, integer, integer, integer);
DROP FUNCTION "results_wilson"(integer, integer);

-- The application's own schema is not for every login: a BI role lists and reads only `bi`.
REVOKE ALL ON SCHEMA public FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;

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
COMMENT ON VIEW bi.assignments IS 'One row per (plan, customer, offer): what the plan gives whom, through which channel.';
COMMENT ON COLUMN bi.assignments.plan_id IS 'plan id';
COMMENT ON COLUMN bi.assignments.customer_id IS 'customer (customers)';
COMMENT ON COLUMN bi.assignments.segment IS 'the customer''s segment (null when none)';
COMMENT ON COLUMN bi.assignments.offer_id IS 'offer (offers)';
COMMENT ON COLUMN bi.assignments.channel_id IS 'channel (channels)';
COMMENT ON COLUMN bi.assignments.expected_return IS 'probability × value through that channel';
COMMENT ON COLUMN bi.assignments.cost IS 'cost of the contact';
COMMENT ON COLUMN bi.assignments."group" IS 'treatment (contacted) or control (held out, not contacted)';
COMMENT ON COLUMN bi.assignments.wave IS 'the wave of a campaign calendar (waves); null for a single-wave plan';
COMMENT ON VIEW bi.offer_channel_frequency IS 'One row per (plan, offer, channel) the plan uses: the paper''s offer frequencies by channel.';
COMMENT ON COLUMN bi.offer_channel_frequency.plan_id IS 'plan id';
COMMENT ON COLUMN bi.offer_channel_frequency.offer_id IS 'offer';
COMMENT ON COLUMN bi.offer_channel_frequency.channel_id IS 'channel';
COMMENT ON COLUMN bi.offer_channel_frequency.contacts IS 'treatment assignments';
COMMENT ON COLUMN bi.offer_channel_frequency.share IS 'contacts / the plan''s contacts';
COMMENT ON COLUMN bi.offer_channel_frequency.expected_return IS 'Σ expected return';
COMMENT ON COLUMN bi.offer_channel_frequency.cost IS 'Σ cost';
COMMENT ON VIEW bi.channel_profitability IS 'One row per (SUCCEEDED plan, channel), channels the plan does not use included with zeros.';
COMMENT ON COLUMN bi.channel_profitability.plan_id IS 'plan id';
COMMENT ON COLUMN bi.channel_profitability.channel_id IS 'channel';
COMMENT ON COLUMN bi.channel_profitability.contacts IS 'treatment contacts through the channel';
COMMENT ON COLUMN bi.channel_profitability.expected_return IS 'Σ expected return';
COMMENT ON COLUMN bi.channel_profitability.cost IS 'Σ cost';
COMMENT ON COLUMN bi.channel_profitability.profit IS 'expected_return − cost';
COMMENT ON COLUMN bi.channel_profitability.roi IS 'profit / cost; null when cost is 0';
COMMENT ON VIEW bi.constraint_report IS 'One row per (plan, constraint): the paper''s constraint report with marginal values.';
COMMENT ON COLUMN bi.constraint_report.plan_id IS 'plan id';
COMMENT ON COLUMN bi.constraint_report.name IS 'e.g. budget, capacity:branch, offer_min:inv_resp, segment:youth/offer:lend_mortgage';
COMMENT ON COLUMN bi.constraint_report.kind IS 'budget, hurdle, capacity, offer_min, offer_max, segment_max, segment_min_share, offers_per_customer; contact policies: fatigue, cool_off, mutual_exclusion, sequencing, household, custom_capacity';
COMMENT ON COLUMN bi.constraint_report.sense IS 'LE (≤), GE (≥) or EQ';
COMMENT ON COLUMN bi.constraint_report.activity IS 'the plan''s level (for the hurdle: total return; for a min-share rule: the segment''s matching contacts)';
COMMENT ON COLUMN bi.constraint_report.bound IS 'the limit';
COMMENT ON COLUMN bi.constraint_report.slack IS 'distance to the bound on the feasible side';
COMMENT ON COLUMN bi.constraint_report.dual IS 'the price that supports the plan: change of the objective per unit more of the bound; 0 when the row does not bind; null when the method has no prices (GREEDY) (docs/optimize.md)';
COMMENT ON COLUMN bi.constraint_report.binding IS 'the bound stops the plan from growing in that direction';
COMMENT ON COLUMN bi.constraint_report.report_only IS 'a report-only contact policy: computed and shown, never enforced (never binding, no dual)';
COMMENT ON COLUMN bi.constraint_report.cluster_lp_dual IS 'CLUSTER_LP only: the cluster LP''s own dual of the row, priced on cluster means (null otherwise)';
COMMENT ON VIEW bi.segment_summary IS 'One row per (plan, segment).';
COMMENT ON COLUMN bi.segment_summary.plan_id IS 'plan id';
COMMENT ON COLUMN bi.segment_summary.segment IS 'segment (null for customers without)';
COMMENT ON COLUMN bi.segment_summary.contacts IS 'treatment contacts in the segment';
COMMENT ON COLUMN bi.segment_summary.expected_return IS 'Σ expected return';
COMMENT ON COLUMN bi.segment_summary.cost IS 'Σ cost';
COMMENT ON COLUMN bi.segment_summary.roi IS '(expected_return − cost) / cost';
COMMENT ON VIEW bi.cluster_summary IS 'One row per (plan, cluster) of a CLUSTER_LP plan: the aggregation and what the LP gave it.';
COMMENT ON COLUMN bi.cluster_summary.plan_id IS 'plan id';
COMMENT ON COLUMN bi.cluster_summary.cluster_index IS '0, 1, 2 … within the plan';
COMMENT ON COLUMN bi.cluster_summary.segment IS 'its segment when clusters are built within segments, else null';
COMMENT ON COLUMN bi.cluster_summary.size IS 'customers in the cluster';
COMMENT ON COLUMN bi.cluster_summary.mean_return IS 'mean expected return over its members'' eligible options';
COMMENT ON COLUMN bi.cluster_summary.mean_cost IS 'mean cost over the same options';
COMMENT ON COLUMN bi.cluster_summary.lp_contacts IS 'customers the cluster LP gives an offer (Σ proportion × size)';
COMMENT ON COLUMN bi.cluster_summary.lp_offers_per_member IS 'Σ proportions: offers per member in the LP (≤ offers per customer)';
COMMENT ON VIEW bi.plan_results IS 'A campaign''s measured results: one row per (plan, level, key), for plans with at least one response file imported.';
COMMENT ON COLUMN bi.plan_results.plan_id IS 'plan id';
COMMENT ON COLUMN bi.plan_results.level IS 'total, segment, offer, channel or cell (segment × offer × channel)';
COMMENT ON COLUMN bi.plan_results.segment IS 'segment on segment and cell rows (null for customers without one), else null';
COMMENT ON COLUMN bi.plan_results.offer_id IS 'offer on offer and cell rows, else null';
COMMENT ON COLUMN bi.plan_results.channel_id IS 'channel on channel and cell rows, else null';
COMMENT ON COLUMN bi.plan_results.treatment_customers IS 'contacted assignments';
COMMENT ON COLUMN bi.plan_results.control_customers IS 'held-out assignments';
COMMENT ON COLUMN bi.plan_results.treatment_responders IS 'contacted assignments that responded';
COMMENT ON COLUMN bi.plan_results.control_responders IS 'held-out assignments that responded';
COMMENT ON COLUMN bi.plan_results.treatment_response_rate IS 'treatment_responders / treatment_customers; null when there are none';
COMMENT ON COLUMN bi.plan_results.control_response_rate IS 'control_responders / control_customers; null when there are none';
COMMENT ON COLUMN bi.plan_results.uplift IS 'treatment_response_rate − control_response_rate; null when either group is empty';
COMMENT ON COLUMN bi.plan_results.uplift_ci_low IS 'lower bound of the uplift''s 95 % interval (Newcombe / Wilson)';
COMMENT ON COLUMN bi.plan_results.uplift_ci_high IS 'upper bound';
COMMENT ON COLUMN bi.plan_results.treatment_revenue IS 'Σ revenue of the treatment assignments';
COMMENT ON COLUMN bi.plan_results.control_revenue IS 'Σ revenue of the control assignments';
COMMENT ON COLUMN bi.plan_results.treatment_revenue_per_customer IS 'treatment_revenue / treatment_customers';
COMMENT ON COLUMN bi.plan_results.control_revenue_per_customer IS 'control_revenue / control_customers';
COMMENT ON COLUMN bi.plan_results.revenue_uplift_per_customer IS 'treatment − control revenue per customer';
COMMENT ON COLUMN bi.plan_results.predicted_response_rate IS 'mean predicted probability of the treatment assignments';
COMMENT ON COLUMN bi.plan_results.actual_to_predicted IS 'treatment_response_rate / predicted_response_rate (1 = the scores were calibrated)';
COMMENT ON FUNCTION bi.plan_comparison(integer, integer) IS 'A function returning one row per (offer, channel) used by either plan; deltas are b − a. It raises an error, and returns nothing, when either plan does not exist (SQLSTATE P0002) or did not succeed (22023: a queued, running, failed or cancelled plan has no assignments to compare). Columns: offer_id: offer; channel_id: channel; contacts_a: contacts in plan a; contacts_b: contacts in plan b; contacts_delta: contacts_b − contacts_a; expected_return_a: Σ expected return in plan a; expected_return_b: Σ expected return in plan b; expected_return_delta: b − a; cost_a: Σ cost in plan a; cost_b: Σ cost in plan b; cost_delta: b − a.';
COMMENT ON FUNCTION bi.wilson_interval(integer, integer) IS 'The Wilson score interval at 95 % for x successes in n trials (null bounds when n is 0): the interval plan_results builds its uplift interval from. Columns: low: lower bound, at least 0; high: upper bound, at most 1.';
COMMENT ON FUNCTION bi.uplift_interval(integer, integer, integer, integer) IS 'Newcombe''s hybrid score interval at 95 % for the difference x1/n1 − x2/n2 of two independent proportions (null bounds when either n is 0): plan_results'' uplift_ci_low and uplift_ci_high. Columns: low: lower bound; high: upper bound.';
COMMENT ON VIEW bi.offers IS 'One row per offer of the dataset.';
COMMENT ON COLUMN bi.offers.offer_id IS 'offer id (the CSV''s)';
COMMENT ON COLUMN bi.offers.name IS 'its display name';
COMMENT ON COLUMN bi.offers.category IS 'its category, e.g. lending, investment';
COMMENT ON COLUMN bi.offers.min_contacts IS 'the dataset''s minimum number of contacts for the offer; null when none';
COMMENT ON COLUMN bi.offers.max_contacts IS 'the dataset''s maximum; null when none';
COMMENT ON COLUMN bi.offers.channel_ids IS 'the channels it may go through, sorted';
COMMENT ON COLUMN bi.offers.attributes IS 'the offer file''s other columns';
COMMENT ON VIEW bi.channels IS 'One row per channel of the dataset.';
COMMENT ON COLUMN bi.channels.channel_id IS 'channel id (the CSV''s)';
COMMENT ON COLUMN bi.channels.name IS 'its display name';
COMMENT ON COLUMN bi.channels.cost_per_contact IS 'cost of one contact';
COMMENT ON COLUMN bi.channels.capacity IS 'the dataset''s contact capacity; null when unlimited';
COMMENT ON COLUMN bi.channels.response_factor IS 'multiplies the acceptance scores of contacts through it';
COMMENT ON COLUMN bi.channels.attributes IS 'the channel file''s other columns';
COMMENT ON VIEW bi.segments IS 'One row per customer segment.';
COMMENT ON COLUMN bi.segments.segment IS 'segment (null: customers without one)';
COMMENT ON COLUMN bi.segments.customers IS 'customers in it';
COMMENT ON COLUMN bi.segments.do_not_contact IS 'of them, marked do-not-contact';
COMMENT ON VIEW bi.customers IS 'One row per customer.';
COMMENT ON COLUMN bi.customers.customer_id IS 'customer id (the CSV''s)';
COMMENT ON COLUMN bi.customers.segment IS 'segment, null when none';
COMMENT ON COLUMN bi.customers.do_not_contact IS 'never contacted by any plan';
COMMENT ON COLUMN bi.customers.attributes IS 'the customer file''s other columns, typed (customer_attributes has one row per value)';
COMMENT ON VIEW bi.customer_attributes IS 'One row per (customer, attribute): the customers'' attributes with their types, for tools that cannot read JSON.';
COMMENT ON COLUMN bi.customer_attributes.customer_id IS 'customer';
COMMENT ON COLUMN bi.customer_attributes.attribute IS 'attribute name (the customer file''s column)';
COMMENT ON COLUMN bi.customer_attributes.value_type IS 'string, number, boolean or null';
COMMENT ON COLUMN bi.customer_attributes.text_value IS 'the value when a string';
COMMENT ON COLUMN bi.customer_attributes.number_value IS 'the value when a number';
COMMENT ON COLUMN bi.customer_attributes.boolean_value IS 'the value when a boolean';
COMMENT ON VIEW bi.constraint_set_versions IS 'One row per constraint-set version: its key settings as columns, its rules as JSON.';
COMMENT ON COLUMN bi.constraint_set_versions.constraint_set_version_id IS 'version id (plans.constraint_set_version_id)';
COMMENT ON COLUMN bi.constraint_set_versions.constraint_set_id IS 'the constraint set';
COMMENT ON COLUMN bi.constraint_set_versions.constraint_set_name IS 'the set''s current name';
COMMENT ON COLUMN bi.constraint_set_versions.constraint_set_version IS '1, 2, 3 … within the set';
COMMENT ON COLUMN bi.constraint_set_versions.latest IS 'the set''s newest version';
COMMENT ON COLUMN bi.constraint_set_versions.archived IS 'the set is archived';
COMMENT ON COLUMN bi.constraint_set_versions.objective IS 'EXPECTED_RETURN or ROMI';
COMMENT ON COLUMN bi.constraint_set_versions.budget IS 'total budget; null when none';
COMMENT ON COLUMN bi.constraint_set_versions.hurdle_rate IS 'minimum ROI the plan must reach; null when none';
COMMENT ON COLUMN bi.constraint_set_versions.max_offers_per_customer IS 'offers one customer may get';
COMMENT ON COLUMN bi.constraint_set_versions.waves IS 'waves of its campaign calendar; 0 for a single-wave campaign';
COMMENT ON COLUMN bi.constraint_set_versions.channel_capacities IS 'capacity per channel, as saved';
COMMENT ON COLUMN bi.constraint_set_versions.offer_volumes IS 'minimum and maximum contacts per offer, as saved';
COMMENT ON COLUMN bi.constraint_set_versions.segment_rules IS 'segment rules, as saved';
COMMENT ON COLUMN bi.constraint_set_versions.contact_policies IS 'fatigue, cool-off, exclusion, sequencing, household and custom-capacity rules, as saved';
COMMENT ON COLUMN bi.constraint_set_versions.definition IS 'the whole version, as saved';
COMMENT ON COLUMN bi.constraint_set_versions.created_by IS 'who saved it (API key name, or cli)';
COMMENT ON COLUMN bi.constraint_set_versions.created_at IS 'when it was saved';
COMMENT ON VIEW bi.waves IS 'One row per wave of a constraint-set version''s campaign calendar.';
COMMENT ON COLUMN bi.waves.constraint_set_version_id IS 'the version';
COMMENT ON COLUMN bi.waves.wave_number IS '1, 2, 3 … in date order';
COMMENT ON COLUMN bi.waves.wave IS 'its name (assignments.wave)';
COMMENT ON COLUMN bi.waves.offset_days IS 'days after the campaign date';
COMMENT ON COLUMN bi.waves.budget IS 'the wave''s own budget; null when only the total binds';
COMMENT ON COLUMN bi.waves.channel_capacities IS 'the wave''s own channel capacities';
-- END comments generated from docs/bi.md
