-- Contact policies (issue 8): report-only rows in the constraint report, and the wave of each
-- assignment of a campaign calendar (null for a single-wave plan). Both propagate to the existing
-- assignment partitions.
ALTER TABLE "plan_constraint_report" ADD COLUMN "report_only" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "plan_assignment" ADD COLUMN "wave" TEXT;
