-- API keys: only a SHA-256 of the key is kept; the key itself is shown once at creation.
CREATE TABLE api_keys (
    id           text PRIMARY KEY,
    key_hash     bytea NOT NULL UNIQUE,
    role         text NOT NULL CHECK (role IN ('admin', 'workspace')),
    workspace_id text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz,
    CHECK (role = 'admin' OR workspace_id IS NOT NULL)
);

CREATE INDEX api_keys_workspace_idx ON api_keys (workspace_id);
