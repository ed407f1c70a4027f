-- The request an Idempotency-Key stands for (Idempotency, IdempotentRequests): set when the key is claimed afresh, kept
-- when the claim of a replica that died is taken over. The texts a request stores get ids derived from it, so a retry
-- that runs the request again after a crash finds the text the first run committed instead of sending a second one.
-- Keys claimed before this migration have none; their takeover gets a new one.
ALTER TABLE idempotency_keys ADD COLUMN request_ref uuid;
