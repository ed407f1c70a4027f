-- Every text the gateway accepted or sent, both directions, in one table (a call's or chat's history reads
-- both in order). Feature-specific columns (inbound dispatch, outbound sending) come in their own migrations.
CREATE TABLE messages (
    id            text PRIMARY KEY,
    direction     text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    twilio_sid    text UNIQUE,          -- Twilio's MessageSid; unique, so a retried webhook is stored once
    account_sid   text,
    workspace_id  text,
    from_number   text NOT NULL,
    to_number     text NOT NULL,
    body          text NOT NULL DEFAULT '',
    media         jsonb NOT NULL DEFAULT '[]'::jsonb,   -- [{"url", "content_type"}]
    num_segments  integer,
    encoding      text,
    status        text NOT NULL,
    error_code    integer,
    error_message text,
    call_id       text,
    chat_id       text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX messages_workspace_idx ON messages (workspace_id, created_at);
CREATE INDEX messages_call_idx ON messages (call_id, created_at) WHERE call_id IS NOT NULL;
CREATE INDEX messages_chat_idx ON messages (chat_id, created_at) WHERE chat_id IS NOT NULL;

-- Each status a message passed through, with Twilio's error code when there was one.
CREATE TABLE message_status_history (
    id          bigserial PRIMARY KEY,
    message_id  text NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    status      text NOT NULL,
    error_code  integer,
    detail      text,
    at          timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX message_status_history_message_idx ON message_status_history (message_id, id);

-- Opt-outs per (sending number, customer): STOP from a customer to a number blocks that number only.
CREATE TABLE opt_outs (
    sender_number   text NOT NULL,
    customer_number text NOT NULL,
    opted_out       boolean NOT NULL,
    last_keyword    text NOT NULL,      -- STOP, START, ... or TWILIO_21610 when Twilio reported it
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sender_number, customer_number)
);
