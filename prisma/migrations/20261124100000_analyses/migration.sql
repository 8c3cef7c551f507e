-- Strategic analyses (budget frontier, capacity sweep, offer minimum costs) and their points.
CREATE TYPE "analysis_kind" AS ENUM ('BUDGET_FRONTIER', 'CAPACITY', 'OFFER_MINIMUMS');

CREATE TABLE "analysis" (
    "id" SERIAL NOT NULL,
    "kind" "analysis_kind" NOT NULL,
    "constraint_set_version_id" INTEGER NOT NULL,
    "status" "plan_status" NOT NULL DEFAULT 'QUEUED',
    "method" "plan_method" NOT NULL,
    "parameters" JSONB NOT NULL DEFAULT '{}',
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "error" TEXT,
    "requested_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    CONSTRAINT "analysis_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "analysis_constraint_set_version_id_idx" ON "analysis"("constraint_set_version_id");
ALTER TABLE "analysis" ADD CONSTRAINT "analysis_constraint_set_version_id_fkey"
  FOREIGN KEY ("constraint_set_version_id") REFERENCES "constraint_set_version"("id")
  ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "analysis_point" (
    "analysis_id" INTEGER NOT NULL,
    "point_index" INTEGER NOT NULL,
    "label" TEXT NOT NULL,
    "parameter" DOUBLE PRECISION,
    "value" DOUBLE PRECISION NOT NULL,
    "expected_return" DOUBLE PRECISION NOT NULL,
    "cost" DOUBLE PRECISION NOT NULL,
    "roi" DOUBLE PRECISION NOT NULL,
    "contacts" INTEGER NOT NULL,
    "upper_bound" DOUBLE PRECISION,
    "gap" DOUBLE PRECISION,
    "dual" DOUBLE PRECISION,
    "marginal_return" DOUBLE PRECISION,
    "below_hurdle" BOOLEAN,
    "constraint_report" JSONB NOT NULL,
    CONSTRAINT "analysis_point_pkey" PRIMARY KEY ("analysis_id","point_index")
);
ALTER TABLE "analysis_point" ADD CONSTRAINT "analysis_point_analysis_id_fkey"
  FOREIGN KEY ("analysis_id") REFERENCES "analysis"("id") ON DELETE CASCADE ON UPDATE CASCADE;
