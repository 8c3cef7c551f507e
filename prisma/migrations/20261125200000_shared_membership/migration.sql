-- A what-if run that reuses its source plan's clusters unchanged shares that plan's membership
-- instead of writing the same millions of rows again. Read membership through plan_membership,
-- which resolves the share. A shared plan cannot be deleted while plans point to it.
ALTER TABLE "plan" ADD COLUMN "membership_plan_id" INTEGER;
ALTER TABLE "plan" ADD CONSTRAINT "plan_membership_plan_id_fkey"
  FOREIGN KEY ("membership_plan_id") REFERENCES "plan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE VIEW "plan_membership" AS
SELECT p.id AS plan_id, m.customer_id, m.cluster_index
FROM "plan" p
JOIN "plan_cluster_member" m ON m.plan_id = COALESCE(p.membership_plan_id, p.id);
