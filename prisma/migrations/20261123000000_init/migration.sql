-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "plan_status" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "plan_method" AS ENUM ('CLUSTER_LP', 'EXACT', 'GREEDY');

-- CreateTable
CREATE TABLE "channel" (
    "id" SERIAL NOT NULL,
    "external_id" TEXT NOT NULL,
    "name" TEXT,
    "cost_per_contact" DOUBLE PRECISION NOT NULL,
    "capacity" INTEGER,
    "response_factor" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "attributes" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "channel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "offer" (
    "id" SERIAL NOT NULL,
    "external_id" TEXT NOT NULL,
    "name" TEXT,
    "category" TEXT,
    "min_volume" INTEGER NOT NULL DEFAULT 0,
    "max_volume" INTEGER,
    "all_channels" BOOLEAN NOT NULL DEFAULT true,
    "attributes" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "offer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "offer_channel" (
    "offer_id" INTEGER NOT NULL,
    "channel_id" INTEGER NOT NULL,

    CONSTRAINT "offer_channel_pkey" PRIMARY KEY ("offer_id","channel_id")
);

-- CreateTable
CREATE TABLE "customer" (
    "id" SERIAL NOT NULL,
    "external_id" TEXT NOT NULL,
    "segment" TEXT,
    "do_not_contact" BOOLEAN NOT NULL DEFAULT false,
    "attributes" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "score" (
    "id" BIGSERIAL NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "offer_id" INTEGER NOT NULL,
    "channel_id" INTEGER,
    "probability" DOUBLE PRECISION NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "cost" DOUBLE PRECISION,
    "attributes" JSONB,

    CONSTRAINT "score_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_run" (
    "id" SERIAL NOT NULL,
    "directory" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "summary" JSONB,

    CONSTRAINT "import_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "constraint_set" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "archived_at" TIMESTAMPTZ(3),

    CONSTRAINT "constraint_set_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "constraint_set_version" (
    "id" SERIAL NOT NULL,
    "constraint_set_id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "definition" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT,

    CONSTRAINT "constraint_set_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plan" (
    "id" SERIAL NOT NULL,
    "version_number" INTEGER NOT NULL,
    "constraint_set_version_id" INTEGER NOT NULL,
    "status" "plan_status" NOT NULL DEFAULT 'QUEUED',
    "method" "plan_method" NOT NULL,
    "parameters" JSONB NOT NULL DEFAULT '{}',
    "scenario" BOOLEAN NOT NULL DEFAULT false,
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "phase" TEXT,
    "kpis" JSONB,
    "timings" JSONB,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "plan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plan_cluster" (
    "plan_id" INTEGER NOT NULL,
    "cluster_index" INTEGER NOT NULL,
    "segment" TEXT,
    "size" INTEGER NOT NULL,
    "centroid" JSONB,
    "mean_return" DOUBLE PRECISION NOT NULL,
    "mean_cost" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "plan_cluster_pkey" PRIMARY KEY ("plan_id","cluster_index")
);

-- CreateTable
CREATE TABLE "plan_cluster_member" (
    "plan_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "cluster_index" INTEGER NOT NULL,

    CONSTRAINT "plan_cluster_member_pkey" PRIMARY KEY ("plan_id","customer_id")
) PARTITION BY LIST ("plan_id");
-- One partition per plan, built and attached in the plan's own transaction (src/db/plan-writer.ts):
-- a bulk COPY into a fresh table is fast, and removing a plan is a DROP TABLE.

-- CreateTable
CREATE TABLE "plan_proportion" (
    "plan_id" INTEGER NOT NULL,
    "cluster_index" INTEGER NOT NULL,
    "offer_id" INTEGER NOT NULL,
    "channel_id" INTEGER NOT NULL,
    "proportion" DOUBLE PRECISION NOT NULL,
    "customers" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "plan_proportion_pkey" PRIMARY KEY ("plan_id","cluster_index","offer_id","channel_id")
);

-- CreateTable
CREATE TABLE "plan_assignment" (
    "plan_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "offer_id" INTEGER NOT NULL,
    "channel_id" INTEGER NOT NULL,
    "expected_return" DOUBLE PRECISION NOT NULL,
    "cost" DOUBLE PRECISION NOT NULL,
    "group" TEXT NOT NULL DEFAULT 'treatment',

    CONSTRAINT "plan_assignment_pkey" PRIMARY KEY ("plan_id","customer_id","offer_id")
) PARTITION BY LIST ("plan_id");

-- CreateTable
CREATE TABLE "plan_constraint_report" (
    "plan_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "sense" TEXT NOT NULL,
    "activity" DOUBLE PRECISION NOT NULL,
    "bound" DOUBLE PRECISION NOT NULL,
    "slack" DOUBLE PRECISION NOT NULL,
    "dual" DOUBLE PRECISION,
    "binding" BOOLEAN NOT NULL,

    CONSTRAINT "plan_constraint_report_pkey" PRIMARY KEY ("plan_id","name")
);

-- CreateTable
CREATE TABLE "plan_summary" (
    "plan_id" INTEGER NOT NULL,
    "segment" TEXT NOT NULL DEFAULT '',
    "offer_id" INTEGER NOT NULL,
    "channel_id" INTEGER NOT NULL,
    "contacts" INTEGER NOT NULL,
    "expected_return" DOUBLE PRECISION NOT NULL,
    "cost" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "plan_summary_pkey" PRIMARY KEY ("plan_id","segment","offer_id","channel_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "channel_external_id_key" ON "channel"("external_id");

-- CreateIndex
CREATE UNIQUE INDEX "offer_external_id_key" ON "offer"("external_id");

-- CreateIndex
CREATE INDEX "offer_channel_channel_id_idx" ON "offer_channel"("channel_id");

-- CreateIndex
CREATE UNIQUE INDEX "customer_external_id_key" ON "customer"("external_id");

-- CreateIndex
CREATE INDEX "customer_segment_idx" ON "customer"("segment");

-- CreateIndex
-- A channel-less score row and a per-channel row of the same customer and offer may coexist,
-- but two channel-less rows may not: NULLs compare equal here.
CREATE UNIQUE INDEX "score_customer_offer_channel_key" ON "score"("customer_id", "offer_id", "channel_id") NULLS NOT DISTINCT;

-- CreateIndex
CREATE UNIQUE INDEX "constraint_set_version_constraint_set_id_version_key" ON "constraint_set_version"("constraint_set_id", "version");

-- CreateIndex
CREATE INDEX "plan_constraint_set_version_id_idx" ON "plan"("constraint_set_version_id");

-- CreateIndex
CREATE INDEX "plan_status_created_at_idx" ON "plan"("status", "created_at");

-- CreateIndex
CREATE INDEX "plan_cluster_member_plan_id_cluster_index_idx" ON "plan_cluster_member"("plan_id", "cluster_index");

-- CreateIndex
CREATE INDEX "plan_assignment_plan_id_offer_id_channel_id_idx" ON "plan_assignment"("plan_id", "offer_id", "channel_id");

-- CreateIndex
CREATE INDEX "plan_assignment_customer_id_idx" ON "plan_assignment"("customer_id");

-- AddForeignKey
ALTER TABLE "offer_channel" ADD CONSTRAINT "offer_channel_offer_id_fkey" FOREIGN KEY ("offer_id") REFERENCES "offer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offer_channel" ADD CONSTRAINT "offer_channel_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "channel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "score" ADD CONSTRAINT "score_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "score" ADD CONSTRAINT "score_offer_id_fkey" FOREIGN KEY ("offer_id") REFERENCES "offer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "score" ADD CONSTRAINT "score_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "channel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "constraint_set_version" ADD CONSTRAINT "constraint_set_version_constraint_set_id_fkey" FOREIGN KEY ("constraint_set_id") REFERENCES "constraint_set"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plan" ADD CONSTRAINT "plan_constraint_set_version_id_fkey" FOREIGN KEY ("constraint_set_version_id") REFERENCES "constraint_set_version"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plan_cluster" ADD CONSTRAINT "plan_cluster_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plan_proportion" ADD CONSTRAINT "plan_proportion_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plan_constraint_report" ADD CONSTRAINT "plan_constraint_report_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plan_summary" ADD CONSTRAINT "plan_summary_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Constraint-set versions are immutable: a plan may have used any of them.
CREATE FUNCTION "constraint_set_version_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'constraint_set_version % is immutable; revise the constraint set to create a new version', OLD.id
    USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
CREATE TRIGGER "constraint_set_version_no_update" BEFORE UPDATE OR DELETE ON "constraint_set_version"
  FOR EACH ROW EXECUTE FUNCTION "constraint_set_version_immutable"();

-- Every eligible (customer, offer, channel) with its effective probability, expected return and
-- cost, exactly as the data contract defines them: a channel-less score row holds for every
-- channel the offer allows (probability × the channel's response factor, capped at 1) unless a
-- row naming that channel overrides it; do-not-contact customers have no options.
CREATE VIEW "eligible_option" AS
SELECT s.customer_id,
       s.offer_id,
       ch.id AS channel_id,
       p.probability,
       s.value,
       p.probability * s.value AS expected_return,
       COALESCE(s.cost, ch.cost_per_contact) AS cost
FROM "score" s
JOIN "customer" cu ON cu.id = s.customer_id AND NOT cu.do_not_contact
JOIN "offer" o ON o.id = s.offer_id
JOIN "channel" ch ON s.channel_id IS NULL OR ch.id = s.channel_id
CROSS JOIN LATERAL (
  SELECT CASE WHEN s.channel_id IS NULL THEN LEAST(1.0, s.probability * ch.response_factor)
              ELSE s.probability END AS probability
) p
WHERE (o.all_channels OR EXISTS (
        SELECT 1 FROM "offer_channel" oc WHERE oc.offer_id = o.id AND oc.channel_id = ch.id))
  AND (s.channel_id IS NOT NULL OR NOT EXISTS (
        SELECT 1 FROM "score" s2
        WHERE s2.channel_id = ch.id AND s2.customer_id = s.customer_id AND s2.offer_id = s.offer_id));

-- The plan export of the data contract, with external ids: one row per assigned
-- (customer, offer, channel). `npx offerplan plan export` writes exactly these columns.
CREATE VIEW "plan_export" AS
SELECT a.plan_id,
       cu.external_id AS customer_id,
       o.external_id AS offer_id,
       ch.external_id AS channel_id,
       a.expected_return,
       a.cost,
       a."group"
FROM "plan_assignment" a
JOIN "customer" cu ON cu.id = a.customer_id
JOIN "offer" o ON o.id = a.offer_id
JOIN "channel" ch ON ch.id = a.channel_id;
