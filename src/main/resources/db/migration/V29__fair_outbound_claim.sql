-- Fair sending: the sender claims due texts round robin across workspaces, and a workspace's in-call texts before its
-- bulk texts (MessageStore.CLAIM_DUE). The claim finds the workspaces with due texts by skipping through this index
-- (one descent per workspace, however many texts each has queued), then reads each one's first texts as a range of
-- it. Texts of no workspace are one group (''). It replaces messages_outbox_due_idx, which only ordered all due texts
-- by time; no column is added to the set an update must leave alone to stay HOT (workspace_id and call_id are already
-- indexed, next_attempt_at and the predicate's columns were in the index replaced).
-- Not CONCURRENTLY: Flyway holds a transactional advisory lock while migrating, which CREATE INDEX CONCURRENTLY
-- would wait for forever. On a large existing table, create it CONCURRENTLY by hand before upgrading (IF NOT EXISTS).
CREATE INDEX IF NOT EXISTS messages_outbox_fair_idx ON messages (coalesce(workspace_id, ''), (call_id IS NULL), next_attempt_at)
    WHERE direction = 'outbound' AND status = 'queued';
DROP INDEX IF EXISTS messages_outbox_due_idx;
