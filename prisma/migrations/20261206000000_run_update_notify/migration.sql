-- Live progress for GraphQL subscriptions: every change of a plan's or an analysis's status,
-- phase or progress NOTIFYs its id, whichever process wrote it (a worker, a cancel, recovery),
-- and every API process LISTENs. The notification is sent when the writing transaction commits,
-- so a listener that re-reads the row sees the change. Workers write progress at most twice a
-- second per run (services/plans.ts), which bounds the rate.
CREATE FUNCTION "notify_run_updated"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify(TG_ARGV[0], NEW.id::text);
  RETURN NULL;
END;
$$;

CREATE TRIGGER "plan_updated_notify" AFTER UPDATE OF status, phase, progress ON "plan"
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.phase IS DISTINCT FROM NEW.phase
        OR OLD.progress IS DISTINCT FROM NEW.progress)
  EXECUTE FUNCTION "notify_run_updated"('offerplan_plan_updated');

CREATE TRIGGER "analysis_updated_notify" AFTER UPDATE OF status, phase, progress ON "analysis"
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.phase IS DISTINCT FROM NEW.phase
        OR OLD.progress IS DISTINCT FROM NEW.progress)
  EXECUTE FUNCTION "notify_run_updated"('offerplan_analysis_updated');

-- Only the application (through its triggers) runs it; a BI role must not even see it listed
-- (the bi_schema migration revoked the functions of its day). Functions this role creates from now
-- on start without EXECUTE for PUBLIC, so a later migration cannot forget it.
REVOKE EXECUTE ON FUNCTION "notify_run_updated"() FROM PUBLIC;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
