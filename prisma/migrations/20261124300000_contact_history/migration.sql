-- Contact history: who was contacted with which offer through which channel, and when. Filled by
-- `history import` (a CSV file) and by committing a plan (its treatment assignments on the
-- campaign date). The contact policies of issue 8 (fatigue, cool-off, sequencing) read it.

-- One write into the history: a file import (file set) or a plan commit (plan_id set).
CREATE TABLE "contact_import" (
    "id" SERIAL NOT NULL,
    "file" TEXT,
    "plan_id" INTEGER,
    "rows_read" INTEGER NOT NULL,
    -- rows new to the history; the others were there already (same natural key)
    "inserted" INTEGER NOT NULL,
    "unchanged" INTEGER NOT NULL,
    "seconds" DOUBLE PRECISION NOT NULL,
    "imported_by" TEXT,
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contact_import_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "contact_import_source" CHECK (("file" IS NULL) <> ("plan_id" IS NULL))
);
CREATE INDEX "contact_import_plan_id_idx" ON "contact_import"("plan_id");
ALTER TABLE "contact_import" ADD CONSTRAINT "contact_import_plan_id_fkey"
  FOREIGN KEY ("plan_id") REFERENCES "plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One contact. The natural key is (customer, offer, channel, contacted_at): a contact is a fact,
-- so the same one written again (a re-imported file, a file that repeats a committed plan) adds
-- nothing and keeps the import that first wrote it. The primary key's column order serves the
-- cool-off and sequencing rules (customer, offer, time range); the second index serves fatigue
-- (customer, time range).
CREATE TABLE "contact_history" (
    "customer_id" INTEGER NOT NULL,
    "offer_id" INTEGER NOT NULL,
    "channel_id" INTEGER NOT NULL,
    "contacted_at" TIMESTAMPTZ(3) NOT NULL,
    -- the import (or plan commit) that first wrote the contact
    "import_id" INTEGER NOT NULL,

    CONSTRAINT "contact_history_pkey" PRIMARY KEY ("customer_id","offer_id","contacted_at","channel_id")
);
CREATE INDEX "contact_history_customer_id_contacted_at_idx" ON "contact_history"("customer_id","contacted_at");
ALTER TABLE "contact_history" ADD CONSTRAINT "contact_history_customer_id_fkey"
  FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "contact_history" ADD CONSTRAINT "contact_history_offer_id_fkey"
  FOREIGN KEY ("offer_id") REFERENCES "offer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "contact_history" ADD CONSTRAINT "contact_history_channel_id_fkey"
  FOREIGN KEY ("channel_id") REFERENCES "channel"("id") ON DELETE CASCADE ON UPDATE CASCADE;
-- no foreign key to contact_import: checking it would cost a lookup per inserted row of a
-- multi-million-row import for an id the same transaction just created

-- A plan whose treatment contacts were recorded into the history; at most once per plan.
CREATE TABLE "plan_commit" (
    "plan_id" INTEGER NOT NULL,
    "campaign_date" TIMESTAMPTZ(3) NOT NULL,
    "committed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "committed_by" TEXT,
    -- treatment assignments recorded (some may have been in the history already)
    "contacts" INTEGER NOT NULL,
    "import_id" INTEGER NOT NULL,

    CONSTRAINT "plan_commit_pkey" PRIMARY KEY ("plan_id")
);
ALTER TABLE "plan_commit" ADD CONSTRAINT "plan_commit_plan_id_fkey"
  FOREIGN KEY ("plan_id") REFERENCES "plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "plan_commit" ADD CONSTRAINT "plan_commit_import_id_fkey"
  FOREIGN KEY ("import_id") REFERENCES "contact_import"("id") ON DELETE CASCADE ON UPDATE CASCADE;
