-- The audit trail for BI tools: who created, changed, ran, approved, committed and deleted what.
CREATE VIEW bi.audit_events AS
SELECT id, at, actor, action, subject_type, subject_id, before, after
FROM audit_event;

-- BI roles made before this view read it at once (offerplan migrate grants it to them as well).

-- BEGIN comments generated from docs/bi.md by scripts/bi-comments.mjs
COMMENT ON VIEW bi.audit_events IS 'One row per administrative action, newest last: the audit trail of constraint sets, plans and API keys.';
COMMENT ON COLUMN bi.audit_events.id IS 'the event''s number, in the order the actions happened';
COMMENT ON COLUMN bi.audit_events.at IS 'when';
COMMENT ON COLUMN bi.audit_events.actor IS 'the API key name, or cli';
COMMENT ON COLUMN bi.audit_events.action IS '<subject>.<verb>: constraint_set.create / revise / patch / restore / archive / unarchive, plan.run / cancel / approve / commit / delete, api_key.create / revoke';
COMMENT ON COLUMN bi.audit_events.subject_type IS 'constraint_set, plan or api_key';
COMMENT ON COLUMN bi.audit_events.subject_id IS 'the object''s id';
COMMENT ON COLUMN bi.audit_events.before IS 'the object before the action, in short; null when it did not exist';
COMMENT ON COLUMN bi.audit_events.after IS 'the object after the action, in short; null when it is gone';
-- END comments generated from docs/bi.md
