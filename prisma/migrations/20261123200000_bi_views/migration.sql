-- Views for BI tools: a stable, documented contract (docs/bi.md, column by column; a test
-- compares the two). External ids everywhere, one row per natural grain, no JSON to unpack.
-- Plans that are not SUCCEEDED have no assignment or summary rows, so the report views only
-- ever show finished plans; bi_plans shows every plan with its status.

CREATE VIEW "bi_plans" AS
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
       p.error
FROM "plan" p
JOIN "constraint_set_version" v ON v.id = p.constraint_set_version_id
JOIN "constraint_set" s ON s.id = v.constraint_set_id;

CREATE VIEW "bi_assignments" AS
SELECT a.plan_id,
       cu.external_id AS customer_id,
       cu.segment,
       o.external_id  AS offer_id,
       ch.external_id AS channel_id,
       a.expected_return,
       a.cost,
       a."group"
FROM "plan_assignment" a
JOIN "customer" cu ON cu.id = a.customer_id
JOIN "offer" o ON o.id = a.offer_id
JOIN "channel" ch ON ch.id = a.channel_id;

CREATE VIEW "bi_offer_channel_frequency" AS
SELECT s.plan_id,
       o.external_id  AS offer_id,
       ch.external_id AS channel_id,
       sum(s.contacts)::int AS contacts,
       sum(s.contacts)::float8 / NULLIF(sum(sum(s.contacts)) OVER (PARTITION BY s.plan_id), 0) AS share,
       sum(s.expected_return) AS expected_return,
       sum(s.cost)            AS cost
FROM "plan_summary" s
JOIN "offer" o ON o.id = s.offer_id
JOIN "channel" ch ON ch.id = s.channel_id
GROUP BY s.plan_id, o.external_id, ch.external_id;

CREATE VIEW "bi_channel_profitability" AS
SELECT p.id           AS plan_id,
       ch.external_id AS channel_id,
       COALESCE(sum(s.contacts), 0)::int          AS contacts,
       COALESCE(sum(s.expected_return), 0)::float8 AS expected_return,
       COALESCE(sum(s.cost), 0)::float8            AS cost,
       (COALESCE(sum(s.expected_return), 0) - COALESCE(sum(s.cost), 0))::float8 AS profit,
       ((sum(s.expected_return) - sum(s.cost)) / NULLIF(sum(s.cost), 0))::float8 AS roi
FROM "plan" p
CROSS JOIN "channel" ch
LEFT JOIN "plan_summary" s ON s.plan_id = p.id AND s.channel_id = ch.id
WHERE p.status = 'SUCCEEDED'
GROUP BY p.id, ch.external_id;

CREATE VIEW "bi_constraint_report" AS
SELECT plan_id, name, kind, sense, activity, bound, slack, dual, binding
FROM "plan_constraint_report";

CREATE VIEW "bi_segment_summary" AS
SELECT s.plan_id,
       NULLIF(s.segment, '')  AS segment,
       sum(s.contacts)::int   AS contacts,
       sum(s.expected_return) AS expected_return,
       sum(s.cost)            AS cost,
       ((sum(s.expected_return) - sum(s.cost)) / NULLIF(sum(s.cost), 0))::float8 AS roi
FROM "plan_summary" s
GROUP BY s.plan_id, s.segment;

CREATE VIEW "bi_cluster_summary" AS
SELECT c.plan_id,
       c.cluster_index,
       c.segment,
       c.size,
       c.mean_return,
       c.mean_cost,
       COALESCE(sum(pp.customers), 0)::float8  AS lp_contacts,
       COALESCE(sum(pp.proportion), 0)::float8 AS lp_offers_per_member
FROM "plan_cluster" c
LEFT JOIN "plan_proportion" pp ON pp.plan_id = c.plan_id AND pp.cluster_index = c.cluster_index
GROUP BY c.plan_id, c.cluster_index, c.segment, c.size, c.mean_return, c.mean_cost;

-- Offer × channel differences between two plans (b − a); reads only the views above, so a
-- role that may read the views may call it.
CREATE FUNCTION "bi_plan_comparison"(plan_a int, plan_b int)
RETURNS TABLE (offer_id text, channel_id text, contacts_a int, contacts_b int, contacts_delta int,
               expected_return_a float8, expected_return_b float8, expected_return_delta float8,
               cost_a float8, cost_b float8, cost_delta float8)
LANGUAGE sql STABLE AS $$
  SELECT COALESCE(a.offer_id, b.offer_id),
         COALESCE(a.channel_id, b.channel_id),
         COALESCE(a.contacts, 0),
         COALESCE(b.contacts, 0),
         COALESCE(b.contacts, 0) - COALESCE(a.contacts, 0),
         COALESCE(a.expected_return, 0),
         COALESCE(b.expected_return, 0),
         COALESCE(b.expected_return, 0) - COALESCE(a.expected_return, 0),
         COALESCE(a.cost, 0),
         COALESCE(b.cost, 0),
         COALESCE(b.cost, 0) - COALESCE(a.cost, 0)
  FROM (SELECT * FROM bi_offer_channel_frequency WHERE plan_id = plan_a) a
  FULL JOIN (SELECT * FROM bi_offer_channel_frequency WHERE plan_id = plan_b) b
    ON a.offer_id = b.offer_id AND a.channel_id = b.channel_id
  ORDER BY 1, 2
$$;
