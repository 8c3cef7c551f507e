-- Crash recovery: every process that runs plans or analyses beats a row here from a thread of its
-- own; a RUNNING plan or analysis names the process running it (run_by). A run whose process has
-- stopped beating is put back on the queue or failed with a reason (services/recovery.ts).
CREATE TABLE "runner_process" (
  "id"         TEXT PRIMARY KEY,
  "pid"        INTEGER NOT NULL,
  "host"       TEXT NOT NULL,
  "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "beat_at"    TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
ALTER TABLE "plan" ADD COLUMN "run_by" TEXT;
ALTER TABLE "analysis" ADD COLUMN "run_by" TEXT;
