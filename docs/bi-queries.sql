-- The questions analysts ask of offerplan, ready to run as the BI role (`bi grant`; its
-- search_path is the bi schema, so names need no prefix). Each covers every plan: add
-- `WHERE plan_id = …` (or the set's name) to narrow it. test/db/bi-queries.test.ts runs them all
-- as a BI role. Reference: docs/bi.md.

-- 1. Return, cost and ROI by channel, per plan, with channel names
SELECT p.plan_id, p.constraint_set_name, c.name AS channel, cp.contacts,
       round(cp.expected_return, 2) AS expected_return, round(cp.cost, 2) AS cost,
       round(cp.roi, 4) AS roi
FROM channel_profitability cp
JOIN channels c USING (channel_id)
JOIN plans p USING (plan_id)
ORDER BY p.plan_id, c.name;

-- 2. Offer category mix per plan: contacts and return by category, with shares
SELECT f.plan_id, o.category, sum(f.contacts) AS contacts,
       round(sum(f.expected_return), 2) AS expected_return,
       round(100 * sum(f.contacts) / sum(sum(f.contacts)) OVER (PARTITION BY f.plan_id), 1)
         AS pct_of_contacts
FROM offer_channel_frequency f
JOIN offers o USING (offer_id)
GROUP BY f.plan_id, o.category
ORDER BY f.plan_id, contacts DESC;

-- 3. Segment mix per plan: contacts against the segment's size
SELECT s.plan_id, s.segment, s.contacts, g.customers,
       round(100.0 * s.contacts / NULLIF(g.customers, 0), 1) AS pct_contacted,
       round(s.expected_return, 2) AS expected_return
FROM segment_summary s
JOIN segments g ON g.segment IS NOT DISTINCT FROM s.segment
ORDER BY s.plan_id, s.segment NULLS LAST;

-- 4. Trend across constraint-set versions: the newest succeeded plan of each version
SELECT DISTINCT ON (v.constraint_set_version_id)
       v.constraint_set_name, v.constraint_set_version, v.budget, v.hurdle_rate, p.plan_id,
       p.method, round(p.expected_return, 2) AS expected_return, round(p.cost, 2) AS cost,
       round(p.roi, 4) AS roi
FROM constraint_set_versions v
JOIN plans p USING (constraint_set_version_id)
WHERE p.status = 'SUCCEEDED' AND NOT p.scenario
ORDER BY v.constraint_set_version_id, p.finished_at DESC;

-- 5. Duals over versions: what one more unit of each binding limit was worth
SELECT p.constraint_set_name, p.constraint_set_version, p.plan_id, r.name, r.bound,
       round(r.dual, 4) AS dual
FROM constraint_report r
JOIN plans p USING (plan_id)
WHERE r.binding AND r.dual IS NOT NULL
ORDER BY r.name, p.constraint_set_version, p.plan_id;

-- 6. What-if against base: each scenario against the newest plain plan on the same version
SELECT w.plan_id AS what_if, b.plan_id AS base, w.overrides,
       round(w.expected_return - b.expected_return, 2) AS return_delta,
       round(100 * (w.expected_return - b.expected_return) / NULLIF(b.expected_return, 0), 2)
         AS return_delta_pct,
       round(w.cost - b.cost, 2) AS cost_delta
FROM plans w
CROSS JOIN LATERAL (
  SELECT * FROM plans b
  WHERE b.constraint_set_version_id = w.constraint_set_version_id AND NOT b.scenario
    AND b.status = 'SUCCEEDED'
  ORDER BY b.finished_at DESC LIMIT 1
) b
WHERE w.scenario AND w.status = 'SUCCEEDED'
ORDER BY w.plan_id;

-- 7. Optimised against the ad-hoc plan, per plan
SELECT plan_id, constraint_set_name, method, round(expected_return, 2) AS optimised,
       round(baseline_expected_return, 2) AS ad_hoc,
       round(100 * (expected_return - baseline_expected_return)
             / NULLIF(baseline_expected_return, 0), 2) AS gain_pct
FROM plans
WHERE status = 'SUCCEEDED'
ORDER BY plan_id;

-- 8. Binding constraints in plain words
SELECT plan_id, name,
       CASE WHEN dual IS NULL THEN name || ' binds (this method computes no prices)'
            ELSE 'one more unit of ' || name || ' would change expected return by '
                 || round(dual, 2) END AS meaning
FROM constraint_report
WHERE binding
ORDER BY plan_id, abs(dual) DESC NULLS LAST;

-- 9. Channel capacity used, per plan
SELECT cp.plan_id, c.name AS channel, cp.contacts, c.capacity,
       round(100.0 * cp.contacts / NULLIF(c.capacity, 0), 1) AS pct_used
FROM channel_profitability cp
JOIN channels c USING (channel_id)
ORDER BY cp.plan_id, c.name;

-- 10. Offer volumes against the dataset's minimum and maximum, per plan
SELECT f.plan_id, o.name AS offer, sum(f.contacts) AS contacts, o.min_contacts, o.max_contacts
FROM offer_channel_frequency f
JOIN offers o USING (offer_id)
GROUP BY f.plan_id, o.name, o.min_contacts, o.max_contacts
ORDER BY f.plan_id, o.name;

-- 11. Measured uplift by offer, with its 95 % interval (plans with responses imported)
SELECT r.plan_id, o.name AS offer, r.treatment_customers, r.control_customers,
       round(r.uplift, 4) AS uplift, round(r.uplift_ci_low, 4) AS ci_low,
       round(r.uplift_ci_high, 4) AS ci_high
FROM plan_results r
JOIN offers o USING (offer_id)
WHERE r.level = 'offer'
ORDER BY r.plan_id, r.uplift DESC NULLS LAST;

-- 12. Plans whose inputs have moved on since they ran (a replay would be refused)
SELECT plan_id, constraint_set_name, status, dataset_revision, history_revision, finished_at
FROM plans
WHERE stale
ORDER BY plan_id;
