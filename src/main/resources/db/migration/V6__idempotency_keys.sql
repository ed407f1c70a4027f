-- Responses to mutating POSTs sent with an Idempotency-Key, replayed for a repeat of the same request.
-- status_code is NULL while the first request is still being processed.
CREATE TABLE idempotency_keys (
    scope           text NOT NULL,      -- the caller: 'admin' or 'ws:<workspace_id>'
    idempotency_key text NOT NULL,
    request_hash    bytea NOT NULL,     -- SHA-256 of method, path and body
    status_code     integer,
    response_body   text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, idempotency_key)
);

CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
