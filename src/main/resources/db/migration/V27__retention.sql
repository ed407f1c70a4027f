-- Leases of maintenance jobs that one replica at a time runs (the retention purge): lease_until is also when the
-- next run is due. Same lease convention as the leased-work tables (lease_owner, lease_until).
CREATE TABLE maintenance_leases (
    job         text PRIMARY KEY,
    lease_owner text,
    lease_until timestamptz
);

-- The purge reads the oldest rows of each table first.
CREATE INDEX carrier_lookups_looked_up_idx ON carrier_lookups (looked_up_at);
CREATE INDEX call_session_deliveries_created_idx ON call_session_deliveries (created_at);
-- Not CONCURRENTLY: Flyway holds a transactional advisory lock while migrating, which CREATE INDEX CONCURRENTLY
-- would wait for forever. On a large existing table, create it CONCURRENTLY by hand before upgrading (IF NOT EXISTS).
CREATE INDEX IF NOT EXISTS messages_created_idx ON messages (created_at);
