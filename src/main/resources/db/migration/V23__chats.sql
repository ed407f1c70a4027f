-- Two-way SMS conversations (issue 11).

-- A number's chat settings. The numbers feature owns these columns and adds them too (same names and types, so
-- whichever migration runs first creates them and the other leaves them alone).
ALTER TABLE sms_numbers
    ADD COLUMN IF NOT EXISTS chat_agent_id       text,
    ADD COLUMN IF NOT EXISTS inbound_webhook_url text,
    ADD COLUMN IF NOT EXISTS end_after_silence   integer,   -- seconds; NULL: chats.end_after_silence
    ADD COLUMN IF NOT EXISTS auto_close_message  text;

-- The key a workspace's inbound webhooks are signed with (X-Gateway-Signature). It must be kept readable to sign;
-- it is shown to the customer only when created or rotated.
CREATE TABLE workspace_webhook_secrets (
    workspace_id text PRIMARY KEY,
    secret       text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- One conversation between one of our numbers (its chat agent) and a customer. Chat work (the inbound webhook of a
-- new chat, agent turns) is leased on the chat row, so one replica at a time works on a chat: one turn at a time.
CREATE TABLE chats (
    id                text PRIMARY KEY,
    workspace_id      text NOT NULL,
    agent_id          text NOT NULL,
    agent_number      text NOT NULL,
    customer_number   text NOT NULL,
    origin            text NOT NULL CHECK (origin IN ('inbound', 'api')),
    -- ongoing; error: the last turn failed (the next text retries it); ended: end_reason says why.
    status            text NOT NULL CHECK (status IN ('ongoing', 'error', 'ended')),
    end_reason        text,
    dynamic_variables jsonb NOT NULL DEFAULT '{}'::jsonb,
    metadata          jsonb NOT NULL DEFAULT '{}'::jsonb,
    started_at        timestamptz NOT NULL DEFAULT now(),
    ended_at          timestamptz,
    last_message_at   timestamptz NOT NULL DEFAULT now(),
    -- pending: the customer's inbound webhook must decide about this new chat before the agent is asked.
    webhook_state     text CHECK (webhook_state IN ('pending', 'done')),
    -- When the chat's next piece of work (the webhook call, an agent turn, sending the agent's replies) is due; NULL:
    -- nothing to do. Later than now after a failed try (backoff) or a rate-limit refusal (its retry_at).
    due_at            timestamptz,
    attempts          integer NOT NULL DEFAULT 0,   -- tries of the current piece of work
    turns             integer NOT NULL DEFAULT 0,   -- agent turns that succeeded
    -- The agent's answer still to be sent, in order ([{content}]), and whether it asked to end the chat after.
    pending_responses jsonb NOT NULL DEFAULT '[]'::jsonb,
    pending_end_chat  boolean NOT NULL DEFAULT false,
    last_error        text,
    lease_owner       text,
    lease_until       timestamptz
);

-- One open (ongoing or error) chat per (our number, customer): texts arriving together land in one chat.
CREATE UNIQUE INDEX chats_one_open_per_pair ON chats (agent_number, customer_number) WHERE status <> 'ended';
CREATE INDEX chats_due_idx ON chats (due_at) WHERE status <> 'ended' AND due_at IS NOT NULL;
CREATE INDEX chats_silence_idx ON chats (last_message_at) WHERE status <> 'ended';
CREATE INDEX chats_workspace_idx ON chats (workspace_id, started_at DESC, id DESC);

-- The texts of a chat in conversation order. The message itself is a row of messages (chat_id set); seq is taken
-- while the chat row is locked, so per chat it follows commit order. A customer's text has turn NULL until an agent
-- turn that saw it succeeded; the agent's replies carry the turn that wrote them.
CREATE TABLE chat_messages (
    message_id text PRIMARY KEY,
    chat_id    text NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    role       text NOT NULL CHECK (role IN ('user', 'agent')),
    seq        bigserial NOT NULL,
    turn       integer
);

CREATE INDEX chat_messages_chat_idx ON chat_messages (chat_id, seq);
