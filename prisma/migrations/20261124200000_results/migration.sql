-- Campaign results: responses imported per plan, what they measure (bi_plan_results) and score
-- calibrations learnt from them. See docs/bi.md, docs/api.md ("Results") and src/results/.

-- One import of a response file for a plan (audit trail; a plan with none has no results).
CREATE TABLE "response_import" (
    "id" SERIAL NOT NULL,
    "plan_id" INTEGER NOT NULL,
    "file" TEXT NOT NULL,
    "rows_read" INTEGER NOT NULL,
    "inserted" INTEGER NOT NULL,
    "updated" INTEGER NOT NULL,
    "unchanged" INTEGER NOT NULL,
    "seconds" DOUBLE PRECISION NOT NULL,
    "imported_by" TEXT,
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "response_import_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "response_import_plan_id_idx" ON "response_import"("plan_id");
ALTER TABLE "response_import" ADD CONSTRAINT "response_import_plan_id_fkey"
  FOREIGN KEY ("plan_id") REFERENCES "plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- What a customer did about an offer of a plan. Keyed like plan_assignment (a customer holds an
-- offer at most once per plan); the import accepts only (customer, offer) pairs the plan assigned,
-- through the assigned channel, so every row matches one assignment, treatment or control.
CREATE TABLE "plan_response" (
    "plan_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "offer_id" INTEGER NOT NULL,
    "channel_id" INTEGER NOT NULL,
    "responded" BOOLEAN NOT NULL,
    "revenue" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "attributes" JSONB,
    -- the import that last wrote the row
    "import_id" INTEGER NOT NULL,

    CONSTRAINT "plan_response_pkey" PRIMARY KEY ("plan_id","customer_id","offer_id")
);
CREATE INDEX "plan_response_import_id_idx" ON "plan_response"("import_id");
ALTER TABLE "plan_response" ADD CONSTRAINT "plan_response_plan_id_fkey"
  FOREIGN KEY ("plan_id") REFERENCES "plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "plan_response" ADD CONSTRAINT "plan_response_customer_id_fkey"
  FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "plan_response" ADD CONSTRAINT "plan_response_offer_id_fkey"
  FOREIGN KEY ("offer_id") REFERENCES "offer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "plan_response" ADD CONSTRAINT "plan_response_channel_id_fkey"
  FOREIGN KEY ("channel_id") REFERENCES "channel"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "plan_response" ADD CONSTRAINT "plan_response_import_id_fkey"
  FOREIGN KEY ("import_id") REFERENCES "response_import"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A score calibration: factors on the scores' probabilities per segment × offer × channel, learnt
-- from one plan's measured responses (src/results/calibration.ts). A plan may run with one
-- (parameters.calibrationId); like constraint-set versions they never change once saved.
CREATE TABLE "score_calibration" (
    "id" SERIAL NOT NULL,
    "source_plan_id" INTEGER NOT NULL,
    -- the calibration the source plan ran with, whose factors this one refines
    "base_calibration_id" INTEGER,
    "prior_strength" DOUBLE PRECISION NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT,

    CONSTRAINT "score_calibration_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "score_calibration_source_plan_id_idx" ON "score_calibration"("source_plan_id");
ALTER TABLE "score_calibration" ADD CONSTRAINT "score_calibration_source_plan_id_fkey"
  FOREIGN KEY ("source_plan_id") REFERENCES "plan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "score_calibration" ADD CONSTRAINT "score_calibration_base_calibration_id_fkey"
  FOREIGN KEY ("base_calibration_id") REFERENCES "score_calibration"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "score_calibration_factor" (
    "calibration_id" INTEGER NOT NULL,
    -- '' = customers without a segment
    "segment" TEXT NOT NULL DEFAULT '',
    "offer_id" INTEGER NOT NULL,
    "channel_id" INTEGER NOT NULL,
    "factor" DOUBLE PRECISION NOT NULL,
    -- the base calibration's factor (1 when none)
    "previous_factor" DOUBLE PRECISION NOT NULL,
    -- previous_factor × responders / predicted_responders: the data alone; null when nothing
    -- was predicted or the cell was carried over unmeasured
    "raw_factor" DOUBLE PRECISION,
    -- treatment assignments measured in the source plan (0: carried over from the base)
    "customers" INTEGER NOT NULL,
    "responders" INTEGER NOT NULL,
    "predicted_responders" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "score_calibration_factor_pkey" PRIMARY KEY ("calibration_id","segment","offer_id","channel_id"),
    CONSTRAINT "score_calibration_factor_positive" CHECK ("factor" >= 0)
);
ALTER TABLE "score_calibration_factor" ADD CONSTRAINT "score_calibration_factor_calibration_id_fkey"
  FOREIGN KEY ("calibration_id") REFERENCES "score_calibration"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "score_calibration_factor" ADD CONSTRAINT "score_calibration_factor_offer_id_fkey"
  FOREIGN KEY ("offer_id") REFERENCES "offer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "score_calibration_factor" ADD CONSTRAINT "score_calibration_factor_channel_id_fkey"
  FOREIGN KEY ("channel_id") REFERENCES "channel"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A plan may have run with a calibration: changing one would silently change what it predicted.
CREATE FUNCTION "score_calibration_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'score calibrations are immutable; recalibrate to create a new one'
    USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
CREATE TRIGGER "score_calibration_no_update" BEFORE UPDATE OR DELETE ON "score_calibration"
  FOR EACH ROW EXECUTE FUNCTION "score_calibration_immutable"();
CREATE TRIGGER "score_calibration_factor_no_update" BEFORE UPDATE OR DELETE ON "score_calibration_factor"
  FOR EACH ROW EXECUTE FUNCTION "score_calibration_immutable"();

-- Every assignment of a plan that has responses imported, with what happened and what was
-- predicted: the one place that says how results are counted (the service and bi_plan_results
-- both aggregate it). An assignment without a response row did not respond and earned nothing.
-- The predicted probability is the option's effective probability as eligible_option gives it
-- now, times the factor of the calibration the plan ran with; null when the option is no longer
-- eligible (its score rows or the customer changed since).
CREATE VIEW "plan_outcome" AS
SELECT a.plan_id,
       a.customer_id,
       cu.segment,
       a.offer_id,
       a.channel_id,
       a."group",
       COALESCE(r.responded, false) AS responded,
       COALESCE(r.revenue, 0)::float8 AS revenue,
       LEAST(1.0, eo.probability * COALESCE(f.factor, 1))::float8 AS predicted_probability
FROM "plan_assignment" a
JOIN "plan" p ON p.id = a.plan_id
JOIN "customer" cu ON cu.id = a.customer_id
LEFT JOIN "plan_response" r
  ON r.plan_id = a.plan_id AND r.customer_id = a.customer_id AND r.offer_id = a.offer_id
LEFT JOIN "eligible_option" eo
  ON eo.customer_id = a.customer_id AND eo.offer_id = a.offer_id AND eo.channel_id = a.channel_id
LEFT JOIN "score_calibration_factor" f
  ON f.calibration_id = (p.parameters ->> 'calibrationId')::int
 AND f.segment = COALESCE(cu.segment, '') AND f.offer_id = a.offer_id AND f.channel_id = a.channel_id
WHERE EXISTS (SELECT 1 FROM "response_import" ri WHERE ri.plan_id = a.plan_id);

-- Wilson score interval at 95 % (src/results/stats.ts `wilson`, same formula and order of
-- operations); null for an empty group.
CREATE FUNCTION "results_wilson"(x int, n int, OUT low float8, OUT high float8)
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN n > 0 THEN GREATEST(0, c - h) END,
         CASE WHEN n > 0 THEN LEAST(1, c + h) END
  FROM (SELECT 1.959963984540054::float8 AS z) k,
       LATERAL (SELECT CASE WHEN n > 0 THEN x::float8 / n END AS p) q,
       LATERAL (SELECT CASE WHEN n > 0 THEN (x + z * z / 2) / (n + z * z) END AS c,
                       CASE WHEN n > 0 THEN
                         (z * sqrt(n::float8)) / (n + z * z) * sqrt(p * (1 - p) + z * z / (4 * n))
                       END AS h) w
$$;

-- Newcombe's hybrid score interval for p1 − p2 (treatment − control) at 95 %
-- (src/results/stats.ts `newcombeDifference`); null when either group is empty.
CREATE FUNCTION "results_uplift_ci"(x1 int, n1 int, x2 int, n2 int, OUT low float8, OUT high float8)
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN n1 > 0 AND n2 > 0 THEN
           (p1 - p2) - sqrt((p1 - w1.low) ^ 2 + (w2.high - p2) ^ 2) END,
         CASE WHEN n1 > 0 AND n2 > 0 THEN
           (p1 - p2) + sqrt((w1.high - p1) ^ 2 + (p2 - w2.low) ^ 2) END
  FROM (SELECT CASE WHEN n1 > 0 THEN x1::float8 / n1 END AS p1,
               CASE WHEN n2 > 0 THEN x2::float8 / n2 END AS p2) q,
       "results_wilson"(x1, n1) w1,
       "results_wilson"(x2, n2) w2
$$;

-- A plan's measured results (docs/bi.md): one row for the plan, one per segment, per offer, per
-- channel and per segment × offer × channel cell; `level` tells them apart (a segment row of
-- customers without a segment also has segment, offer and channel null). The grouping runs in a
-- LATERAL subquery per plan: PostgreSQL does not push `WHERE plan_id = …` below GROUPING SETS, so
-- grouping every plan's outcomes and filtering after would read all plans for one.
CREATE VIEW "bi_plan_results" AS
SELECT p.id AS plan_id,
       CASE g.grouping WHEN 0 THEN 'cell' WHEN 3 THEN 'segment' WHEN 5 THEN 'offer'
                       WHEN 6 THEN 'channel' ELSE 'total' END AS level,
       g.segment,
       o.external_id AS offer_id,
       ch.external_id AS channel_id,
       g.treatment_customers,
       g.control_customers,
       g.treatment_responders,
       g.control_responders,
       g.treatment_responders::float8 / NULLIF(g.treatment_customers, 0) AS treatment_response_rate,
       g.control_responders::float8 / NULLIF(g.control_customers, 0) AS control_response_rate,
       g.treatment_responders::float8 / NULLIF(g.treatment_customers, 0)
         - g.control_responders::float8 / NULLIF(g.control_customers, 0) AS uplift,
       ci.low AS uplift_ci_low,
       ci.high AS uplift_ci_high,
       g.treatment_revenue,
       g.control_revenue,
       g.treatment_revenue / NULLIF(g.treatment_customers, 0) AS treatment_revenue_per_customer,
       g.control_revenue / NULLIF(g.control_customers, 0) AS control_revenue_per_customer,
       g.treatment_revenue / NULLIF(g.treatment_customers, 0)
         - g.control_revenue / NULLIF(g.control_customers, 0) AS revenue_uplift_per_customer,
       g.predicted_response_rate,
       (g.treatment_responders::float8 / NULLIF(g.treatment_customers, 0))
         / NULLIF(g.predicted_response_rate, 0) AS actual_to_predicted
FROM "plan" p
CROSS JOIN LATERAL (
  SELECT po.segment,
         po.offer_id,
         po.channel_id,
         GROUPING(po.segment, po.offer_id, po.channel_id) AS grouping,
         count(*) FILTER (WHERE po."group" = 'treatment')::int AS treatment_customers,
         count(*) FILTER (WHERE po."group" = 'control')::int AS control_customers,
         count(*) FILTER (WHERE po."group" = 'treatment' AND po.responded)::int AS treatment_responders,
         count(*) FILTER (WHERE po."group" = 'control' AND po.responded)::int AS control_responders,
         COALESCE(sum(po.revenue) FILTER (WHERE po."group" = 'treatment'), 0)::float8 AS treatment_revenue,
         COALESCE(sum(po.revenue) FILTER (WHERE po."group" = 'control'), 0)::float8 AS control_revenue,
         avg(po.predicted_probability) FILTER (WHERE po."group" = 'treatment')::float8 AS predicted_response_rate
  FROM "plan_outcome" po
  WHERE po.plan_id = p.id
  GROUP BY GROUPING SETS ((po.segment, po.offer_id, po.channel_id), (po.segment), (po.offer_id),
                          (po.channel_id), ())
) g
LEFT JOIN "offer" o ON o.id = g.offer_id
LEFT JOIN "channel" ch ON ch.id = g.channel_id
CROSS JOIN LATERAL "results_uplift_ci"(g.treatment_responders, g.treatment_customers,
                                       g.control_responders, g.control_customers) ci
WHERE EXISTS (SELECT 1 FROM "response_import" ri WHERE ri.plan_id = p.id);
