-- Numbers bought, brought (BYO Twilio) and configured through the API (issue 10).
-- chat_agent_id / inbound_webhook_url / end_after_silence / auto_close_message: the number's two-way chat settings
-- (PATCH /v1/sms-numbers/{n}); end_after_silence in seconds, NULL: the chats default.
-- twilio_sid: the IncomingPhoneNumber (PN...) in the number's account, to update or release it.
-- brand_tier: the tier a BYO number's owner declared (its brand is byo-<account_sid>); NULL for other numbers.
ALTER TABLE sms_numbers
    ADD COLUMN chat_agent_id       text,
    ADD COLUMN inbound_webhook_url text,
    ADD COLUMN end_after_silence   integer CHECK (end_after_silence BETWEEN 120 AND 259200),
    ADD COLUMN auto_close_message  text,
    ADD COLUMN twilio_sid          text,
    ADD COLUMN brand_tier          text;

CREATE INDEX sms_numbers_workspace_type_idx ON sms_numbers (workspace_id, type, phone_number);

-- Customers' own Twilio accounts: the auth token only as AES-GCM ciphertext (base64 of iv || ciphertext+tag),
-- with the id of the key that sealed it, so keys can be rotated (secrets.key / secrets.keys).
CREATE TABLE byo_twilio_accounts (
    account_sid           text PRIMARY KEY,
    auth_token_ciphertext text NOT NULL,
    key_id                text NOT NULL,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now()
);

-- A purchase under way: written before Twilio is asked to buy, so two requests (replicas, retries) never buy the
-- same number twice; removed once the number is stored or the purchase failed. A row older than
-- numbers.purchase_timeout belongs to a crashed request and may be taken over.
CREATE TABLE number_purchases (
    phone_number text PRIMARY KEY,
    workspace_id text NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now()
);
