-- Twilio does not retry status callbacks: a text it accepted whose status stands still is asked about (fetched by
-- sid). status_checked_at is when that was last done, so it is not asked again before outbound.status_recheck_after;
-- updated_at stays the time the row last changed.
ALTER TABLE messages ADD COLUMN status_checked_at timestamptz;

-- The texts that may still move, by send time: the recheck looks only at recent sends (OutboxStore.CLAIM_STATUS_RECHECKS
-- repeats this predicate so the planner can use the index).
CREATE INDEX messages_outbox_unfinished_idx ON messages (last_attempt_at)
    WHERE direction = 'outbound' AND twilio_sid IS NOT NULL
      AND status IN ('accepted', 'scheduled', 'queued', 'sending', 'sent', 'partially_delivered');
