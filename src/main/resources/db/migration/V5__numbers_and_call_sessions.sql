-- The numbers the gateway texts from and receives on. A platform number may send only while sms_status is
-- 'enabled' (set by A2P registration; until then by an admin); a byo_twilio number always may; pool numbers are
-- the platform's SMS-approved numbers lent to calls whose agent number cannot send.
CREATE TABLE sms_numbers (
    phone_number text PRIMARY KEY,
    type         text NOT NULL CHECK (type IN ('platform', 'byo_twilio', 'pool')),
    workspace_id text,
    agent_id     text,
    account_sid  text,      -- the Twilio account the number belongs to; NULL: the platform account
    sms_status   text NOT NULL CHECK (sms_status IN ('a2p_required', 'a2p_pending', 'enabled', 'suspended')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    -- Pool numbers belong to no workspace; every other number to exactly one.
    CHECK ((type = 'pool') = (workspace_id IS NULL))
);

CREATE INDEX sms_numbers_workspace_idx ON sms_numbers (workspace_id);
CREATE INDEX sms_numbers_pool_idx ON sms_numbers (phone_number) WHERE type = 'pool';

-- Texts received during a call, handed to the voice platform one at a time per call, oldest first. Any replica
-- may deliver: a row is claimed with a lease (owner + expiry); an expired lease lets another replica resume.
-- pending: to be tried at next_attempt_at; delivered; undelivered_to_call: every try failed (kept, counted;
-- offered again, in order, when the call's next text arrives).
CREATE TABLE call_session_deliveries (
    message_id      text PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    call_id         text NOT NULL,
    received_at     timestamptz NOT NULL,
    seq             bigserial NOT NULL,     -- tie-break of texts received in the same instant
    state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'undelivered_to_call')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    lease_owner     text,
    lease_until     timestamptz,
    last_error      text,
    delivered_at    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX call_session_deliveries_due_idx ON call_session_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX call_session_deliveries_call_idx ON call_session_deliveries (call_id, received_at, seq);
