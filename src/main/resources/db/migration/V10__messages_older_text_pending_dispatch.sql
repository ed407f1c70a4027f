-- A named operation of the messages table (its owner is com.smsgateway.messages) for other features' SQL, so they
-- need not read inbound's dispatch columns: is an older inbound text of the same conversation (same customer, same
-- number) than this message still pending dispatch, with its next attempt due within due_within_ms? Call-session
-- delivery waits while one is, so a session gets a conversation's texts in order.
CREATE FUNCTION messages_older_text_pending_dispatch(message_id text, due_within_ms bigint) RETURNS boolean
    LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT 1 FROM messages text
        JOIN messages earlier ON earlier.to_number = text.to_number AND earlier.from_number = text.from_number
        WHERE text.id = $1
          AND earlier.direction = 'inbound' AND earlier.dispatch_state = 'pending'
          AND earlier.created_at < text.created_at
          AND earlier.lease_until < now() + $2 * interval '1 millisecond')
$$;
