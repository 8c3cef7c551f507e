-- Contact policies (issue 8): report-only rows in the constraint report, and the wave of each
-- assignment of a campaign calendar (null for a single-wave plan). Both propagate to the existing
-- assignment partitions.
ALTER TABLE "plan_constraint_report" ADD COLUMN "report_only" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "plan_assignment" ADD COLUMN "wave" TEXT;

-- the export names a calendar assignment's wave (a column added at the end keeps the view's contract)
CREATE OR REPLACE VIEW "plan_export" AS
SELECT a.plan_id,
       cu.external_id AS customer_id,
       o.external_id AS offer_id,
       ch.external_id AS channel_id,
       a.expected_return,
       a.cost,
       a."group",
       a.wave
FROM "plan_assignment" a
JOIN "customer" cu ON cu.id = a.customer_id
JOIN "offer" o ON o.id = a.offer_id
JOIN "channel" ch ON ch.id = a.channel_id;

CREATE OR REPLACE VIEW "bi_assignments" AS
SELECT a.plan_id,
       cu.external_id AS customer_id,
       cu.segment,
       o.external_id  AS offer_id,
       ch.external_id AS channel_id,
       a.expected_return,
       a.cost,
       a."group",
       a.wave
FROM "plan_assignment" a
JOIN "customer" cu ON cu.id = a.customer_id
JOIN "offer" o ON o.id = a.offer_id
JOIN "channel" ch ON ch.id = a.channel_id;

CREATE OR REPLACE VIEW "bi_constraint_report" AS
SELECT plan_id, name, kind, sense, activity, bound, slack, dual, binding, report_only
FROM "plan_constraint_report";
