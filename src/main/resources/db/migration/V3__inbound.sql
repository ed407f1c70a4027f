-- Inbound texts: everything Twilio sent, and their durable hand-off to a handler (call session, chat).
ALTER TABLE messages
    -- Every webhook parameter as Twilio sent it, unknown ones too: {"name": "value"}.
    ADD COLUMN raw_params           jsonb,
    -- The whole-message keyword (STOP, START, HELP, ...) in upper case, when the text was one.
    ADD COLUMN keyword              text,
    -- pending: waiting for a handler; dispatched: a handler took it (dispatched_to); unrouted: no handler
    -- wanted it; abandoned: handlers kept failing; opt_out / opt_in / help: a keyword, never offered to handlers.
    -- NULL for outbound messages.
    ADD COLUMN dispatch_state       text CHECK (dispatch_state IN
        ('pending', 'dispatched', 'unrouted', 'abandoned', 'opt_out', 'opt_in', 'help')),
    ADD COLUMN dispatched_to        text,
    ADD COLUMN dispatch_attempts    integer NOT NULL DEFAULT 0,
    -- The replica dispatching a pending message, until when; an expired lease lets any replica's sweep take it.
    ADD COLUMN dispatch_owner       text,
    ADD COLUMN dispatch_lease_until timestamptz;

-- The sweep's work list: only pending messages, in lease order; it stays small when dispatch keeps up.
CREATE INDEX messages_dispatch_pending_idx ON messages (dispatch_lease_until) WHERE dispatch_state = 'pending';
