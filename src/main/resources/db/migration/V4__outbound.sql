-- Outbound sending: the messages table is the transactional outbox. A queued row is claimed by one replica
-- (lease owner + expiry), its attempt recorded before Twilio is called, and what the limiter charged is kept
-- so a send that never reached Twilio can give its segments back.
ALTER TABLE messages
    ADD COLUMN sender_kind      text,          -- platform | pool | byo
    ADD COLUMN brand_id         text,          -- the brand charged; NULL: not rate limited
    ADD COLUMN brand_tier       text,
    ADD COLUMN carrier          text,          -- tmobile | other | unknown, as charged
    ADD COLUMN charged_at       timestamptz,   -- the carrier day the segments count against
    ADD COLUMN attempts         integer NOT NULL DEFAULT 0,
    ADD COLUMN next_attempt_at  timestamptz,
    ADD COLUMN last_attempt_at  timestamptz,
    ADD COLUMN lease_owner      text,
    ADD COLUMN lease_expires_at timestamptz;

CREATE INDEX messages_outbox_due_idx ON messages (next_attempt_at)
    WHERE direction = 'outbound' AND status = 'queued';
CREATE INDEX messages_outbox_unresolved_idx ON messages (lease_expires_at)
    WHERE direction = 'outbound' AND status = 'sending' AND twilio_sid IS NULL;

-- Twilio status order. Terminal statuses share a rank, so none replaces another; read only follows delivery.
CREATE FUNCTION message_status_rank(status text) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT CASE status
        WHEN 'accepted' THEN 1 WHEN 'scheduled' THEN 1 WHEN 'queued' THEN 1
        WHEN 'sending' THEN 2
        WHEN 'sent' THEN 3
        WHEN 'partially_delivered' THEN 4
        WHEN 'delivered' THEN 5 WHEN 'undelivered' THEN 5 WHEN 'failed' THEN 5 WHEN 'canceled' THEN 5
        WHEN 'read' THEN 6
    END
$$;

CREATE FUNCTION message_status_advances(current_status text, next_status text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT coalesce(message_status_rank(next_status) > message_status_rank(current_status), false)
       AND NOT (next_status = 'read' AND current_status IN ('undelivered', 'failed', 'canceled'))
$$;

-- Recipients' carriers from Twilio Lookup, behind the Redis cache; refreshed after the configured TTL.
CREATE TABLE carrier_lookups (
    phone_number text PRIMARY KEY,
    carrier      text NOT NULL,      -- tmobile | other
    carrier_name text,
    line_type    text,
    looked_up_at timestamptz NOT NULL DEFAULT now()
);

-- Status callbacks for a sid not recorded yet: Twilio may call back before the send's answer is stored. They
-- are applied when the sid is recorded; those never matched (another system's sids) are purged after a day.
CREATE TABLE unmatched_status_callbacks (
    twilio_sid    text NOT NULL,
    status        text NOT NULL,
    error_code    integer,
    error_message text,
    received_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (twilio_sid, status)
);

CREATE INDEX unmatched_status_callbacks_received_idx ON unmatched_status_callbacks (received_at);
