-- The claim of the request being processed: only its owner completes or releases the key, so a request taken
-- over after the in-progress timeout (its replica crashed) is never overwritten by the first one.
ALTER TABLE idempotency_keys ADD COLUMN claim_token uuid;
