-- The fairness figures of one run, from the status history (run.sh passes b_id, B's text, and submitted, its submit
-- time in epoch seconds). Every row of one claim shares its statement's now() and the detail 'attempt N': the distinct
-- times of those entries are the claims of the replica.
WITH b AS (
  SELECT to_timestamp(:submitted) AS submitted,
         (SELECT min(at) FROM message_status_history WHERE message_id = :'b_id' AND status = 'queued') AS stored,
         (SELECT min(at) FROM message_status_history WHERE message_id = :'b_id' AND detail LIKE 'attempt %') AS claimed,
         (SELECT min(at) FROM message_status_history WHERE message_id = :'b_id' AND detail LIKE 'accepted by Twilio%') AS accepted),
claims AS (SELECT DISTINCT at FROM message_status_history WHERE detail LIKE 'attempt %'),
a AS (
  SELECT m.id,
         (SELECT min(at) FROM message_status_history h WHERE h.message_id = m.id AND h.status = 'queued') AS stored,
         (SELECT min(at) FROM message_status_history h WHERE h.message_id = m.id AND h.detail LIKE 'attempt %') AS claimed
  FROM messages m WHERE m.workspace_id = 'ws_fair_a'),
recent AS (SELECT claims.at FROM claims, b WHERE claims.at BETWEEN b.claimed - interval '10 seconds' AND b.claimed),
gaps AS (SELECT at - lag(at) OVER (ORDER BY at) AS gap FROM recent),
a_rate AS (SELECT count(*) / 10.0 AS per_second FROM a, b WHERE a.claimed > b.claimed - interval '10 seconds' AND a.claimed <= b.claimed),
a_ahead AS (SELECT count(*) AS n FROM a, b WHERE a.stored <= b.submitted AND (a.claimed IS NULL OR a.claimed > b.submitted))
SELECT format('RESULT b_stored_ms=%s b_claimed_ms=%s b_accepted_ms=%s claims_between_store_and_claim=%s a_queued_at_b_submit=%s a_queued_at_b_claim=%s',
         round(extract(epoch FROM b.stored - b.submitted) * 1000),
         round(extract(epoch FROM b.claimed - b.submitted) * 1000),
         coalesce(round(extract(epoch FROM b.accepted - b.submitted) * 1000)::text, 'none'),
         (SELECT count(*) FROM claims WHERE claims.at > b.stored AND claims.at < b.claimed),
         (SELECT n FROM a_ahead),
         (SELECT count(*) FROM a WHERE a.stored <= b.claimed AND (a.claimed IS NULL OR a.claimed > b.claimed)))
       || format(E'\n   the 10 s before B''s claim: %s claims, median %s ms apart; A''s texts claimed at %s/s',
         (SELECT count(*) FROM recent),
         (SELECT round(extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY gap)) * 1000) FROM gaps),
         (SELECT round(per_second) FROM a_rate))
       || format(E'\n   claimed by due time alone (the claim before V29), B''s text would have waited for the %s texts of A queued before it: about %s s at that rate',
         (SELECT n FROM a_ahead),
         (SELECT round(a_ahead.n / nullif(a_rate.per_second, 0)) FROM a_ahead, a_rate))
FROM b;
