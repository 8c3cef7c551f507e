-- comparePlans: the number of customers whose (offer, channel) set differs between two plans.
-- Counting reads both plans' assignment partitions (about 1 s at 1M customers, docs/api.md);
-- plans never change once SUCCEEDED, so each pair is counted once and kept here. Stored with the
-- lower plan id first (the count is symmetric); removing a plan removes its rows.
CREATE TABLE "plan_comparison" (
    "plan_a" INTEGER NOT NULL,
    "plan_b" INTEGER NOT NULL,
    "changed_customers" INTEGER NOT NULL,
    "seconds" DOUBLE PRECISION NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "plan_comparison_pkey" PRIMARY KEY ("plan_a","plan_b"),
    CONSTRAINT "plan_comparison_order" CHECK ("plan_a" < "plan_b")
);

CREATE INDEX "plan_comparison_plan_b_idx" ON "plan_comparison"("plan_b");

ALTER TABLE "plan_comparison" ADD CONSTRAINT "plan_comparison_plan_a_fkey" FOREIGN KEY ("plan_a") REFERENCES "plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "plan_comparison" ADD CONSTRAINT "plan_comparison_plan_b_fkey" FOREIGN KEY ("plan_b") REFERENCES "plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;
