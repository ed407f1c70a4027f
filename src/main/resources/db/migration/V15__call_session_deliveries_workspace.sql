-- Call ids are unique per workspace only (issue 9): a call's deliveries are those of (workspace_id, call_id), so one
-- workspace's texts never wait behind, nor are requeued with, another workspace's call of the same id.
ALTER TABLE call_session_deliveries ADD COLUMN workspace_id text;
UPDATE call_session_deliveries d SET workspace_id = m.workspace_id FROM messages m WHERE m.id = d.message_id;
DROP INDEX call_session_deliveries_call_idx;
CREATE INDEX call_session_deliveries_call_idx ON call_session_deliveries (call_id, workspace_id, received_at, seq);
