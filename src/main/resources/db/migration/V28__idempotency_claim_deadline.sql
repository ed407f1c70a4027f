-- An in-progress claim is held until claim_until, which its replica keeps pushing forward while the request runs
-- (idempotency.in_progress_timeout ahead): a live request keeps its key however long it takes, and the key of a
-- replica that died is free one lease after its last renewal instead of a fixed time after created_at.
-- The default covers claims written by the previous release, which does not set the column: they keep that release's
-- 2-minute in-progress timeout (existing rows get the value of the moment the column is added).
ALTER TABLE idempotency_keys ADD COLUMN claim_until timestamptz DEFAULT now() + interval '2 minutes';
