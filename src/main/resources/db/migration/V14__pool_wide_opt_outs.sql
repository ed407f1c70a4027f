-- STOP to one pool number opts the customer out of the whole pool (issue 9): opt-outs from pool numbers are kept
-- under the sender 'pool' (see OptOutRegistry). Carry over what was recorded per pool number: the latest keyword
-- a customer sent to any pool number decides.
INSERT INTO opt_outs (sender_number, customer_number, opted_out, last_keyword, updated_at)
SELECT DISTINCT ON (o.customer_number) 'pool', o.customer_number, o.opted_out, o.last_keyword, o.updated_at
FROM opt_outs o
JOIN sms_numbers n ON n.phone_number = o.sender_number AND n.type = 'pool'
ORDER BY o.customer_number, o.updated_at DESC
ON CONFLICT (sender_number, customer_number) DO NOTHING;
