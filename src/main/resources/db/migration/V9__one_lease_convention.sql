-- One lease convention for every leased table: lease_owner (the replica holding the row) and lease_until (when its
-- hold ends; any replica may take the row after it). A messages row is either inbound or outbound, so one pair serves
-- both the inbound dispatch lease (was dispatch_owner / dispatch_lease_until) and the outbound send lease (was
-- lease_owner / lease_expires_at). call_session_deliveries already follows it.
ALTER TABLE messages RENAME COLUMN lease_expires_at TO lease_until;

UPDATE messages SET lease_owner = dispatch_owner, lease_until = dispatch_lease_until
WHERE direction = 'inbound' AND (dispatch_owner IS NOT NULL OR dispatch_lease_until IS NOT NULL);

-- Dropping the columns drops messages_dispatch_pending_idx with them; it is recreated on the shared column.
ALTER TABLE messages DROP COLUMN dispatch_owner, DROP COLUMN dispatch_lease_until;

-- The dispatch sweep's work list: pending inbound texts by when their lease (or retry pause) ends.
CREATE INDEX messages_dispatch_pending_idx ON messages (lease_until) WHERE dispatch_state = 'pending';
