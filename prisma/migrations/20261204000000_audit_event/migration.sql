-- Audit trail of administrative actions, generic so that every admin action can record itself:
-- who (the key's name, or "cli"), what, on which object, and the object before and after.
CREATE TABLE "audit_event" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
    "actor" TEXT NOT NULL,
    "actor_key_id" INTEGER,
    "action" TEXT NOT NULL,
    "subject_type" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);
-- "What happened to this object" and "what did this key do", newest first.
CREATE INDEX "audit_event_subject_idx" ON "audit_event"("subject_type", "subject_id", "at");
CREATE INDEX "audit_event_actor_key_idx" ON "audit_event"("actor_key_id", "at");

-- Who made a key: the creating key's id, or "cli"; null for keys made before this was recorded.
ALTER TABLE "api_key" ADD COLUMN "created_by" TEXT;
