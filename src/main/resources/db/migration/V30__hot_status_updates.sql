-- A status change that moves no indexed column can be a HOT update (no new entry in any index of messages), if the
-- row's page has room. Today every status callback updates all eleven indexes: `status` is in the predicates of the
-- outbox's partial indexes. Those predicates now name columns a status callback does not change, and pages keep room.
--
-- finished: whether the text's status can no longer move (generated from status, so no statement has to keep it).
-- 'sent' -> 'delivered' changes it (that update is not HOT); 'queued' -> 'sent' does not. Adding it rewrites the table
-- once (all its indexes included, under an exclusive lock: on a large table, deploy in a quiet hour), which also
-- applies the fillfactor to the pages already written. The three indexes below are rebuilt here in any case, V29's
-- messages_outbox_fair_idx among them, so creating that one by hand beforehand (V29's advice) does not pay with V30.
ALTER TABLE messages SET (fillfactor = 80);
ALTER TABLE messages ADD COLUMN finished boolean GENERATED ALWAYS AS (
    status NOT IN ('accepted', 'scheduled', 'queued', 'sending', 'sent', 'partially_delivered')) STORED;

-- The texts whose status may still move, by send time (the status recheck and the backlog gauge repeat the predicate).
DROP INDEX IF EXISTS messages_outbox_unfinished_idx;
CREATE INDEX messages_outbox_unfinished_idx ON messages (last_attempt_at)
    WHERE direction = 'outbound' AND twilio_sid IS NOT NULL AND NOT finished;

-- Sending without a sid: leased (a claimed send, or one whose answer was lost). A queued or failed text holds no lease.
DROP INDEX IF EXISTS messages_outbox_unresolved_idx;
CREATE INDEX messages_outbox_unresolved_idx ON messages (lease_until)
    WHERE direction = 'outbound' AND twilio_sid IS NULL AND lease_until IS NOT NULL;

-- Queued: only a queued text has a due time (the claim clears it, a retry sets it again).
DROP INDEX IF EXISTS messages_outbox_fair_idx;
CREATE INDEX messages_outbox_fair_idx ON messages (coalesce(workspace_id, ''), (call_id IS NULL), next_attempt_at)
    WHERE direction = 'outbound' AND next_attempt_at IS NOT NULL;
