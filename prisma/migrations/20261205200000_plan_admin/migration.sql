-- Plans as admins handle them: a name and notes, and an approval (by an ADMIN key other than the
-- one that ran the plan) that a deployment may require before a plan's contacts are committed.

ALTER TABLE "plan" ADD COLUMN "name" TEXT;
ALTER TABLE "plan" ADD COLUMN "notes" TEXT;
ALTER TABLE "plan" ADD COLUMN "requested_by_key_id" INTEGER;
ALTER TABLE "plan" ADD COLUMN "approved_at" TIMESTAMPTZ(3);
ALTER TABLE "plan" ADD COLUMN "approved_by" TEXT;
