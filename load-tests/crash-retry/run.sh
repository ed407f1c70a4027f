#!/usr/bin/env bash
# Idempotency after a crash, as a fault run: two replicas of the production jar on one PostgreSQL and Redis; in-call
# texts, each with its own call and Idempotency-Key, go to replica A over CONNECTIONS connections; after KILL_AFTER
# answers A gets SIGKILL, and every text it left unanswered (and every one not yet sent) goes to replica B, where the
# client retries for RETRY_SECONDS after the kill (or its first try). Reports how many texts were answered, how many gave up, the
# longest wait after the kill, and from PostgreSQL: texts stored twice (a call with two texts; must be 0) and answered
# texts that are not stored (must be 0).
# Usage: load-tests/crash-retry/run.sh   (needs psql, redis-cli, python3; PostgreSQL and Redis on 127.0.0.1)
# Knobs: TEXTS (1500), CONNECTIONS (32), KILL_AFTER (TEXTS / 3), RETRY_SECONDS (10), POOL (50), PG_DB (test),
#        PG_USER (postgres), PORT_A (18100), PORT_B (18102), IDEMPOTENCY_LEASE (unset: the gateway's default).
set -euo pipefail
cd "$(dirname "$0")/../.."
source load-tests/gateway.sh

TEXTS="${TEXTS:-1500}"
CONNECTIONS="${CONNECTIONS:-32}"
KILL_AFTER="${KILL_AFTER:-$((TEXTS / 3))}"
RETRY_SECONDS="${RETRY_SECONDS:-10}"
POOL="${POOL:-50}"
PG_DB="${PG_DB:-test}"
PG_USER="${PG_USER:-postgres}"
PORT_A="${PORT_A:-18100}"
PORT_B="${PORT_B:-18102}"
SCHEMA=load_crash_retry
KEY_PREFIX="$SCHEMA:"
ADMIN_KEY=load-crash-admin-key-0123456789
RUN_ID=$(python3 -c 'import secrets; print(secrets.token_hex(4))')
WORK=$(mktemp -d)
export PGOPTIONS="-c client_min_messages=warning"

PID_A=
PID_B=
cleanup() {
  for pid in $PID_A $PID_B; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

build_jar

# One replica on PORT (management on PORT + 1), its log in WORK; prints its pid.
start_replica() { # port, name
  env GATEWAY_REDIS_URL=redis://127.0.0.1:6379 $(incall_gateway_env "$1" $(($1 + 1))) \
    ${IDEMPOTENCY_LEASE:+GATEWAY_IDEMPOTENCY_IN_PROGRESS_TIMEOUT=$IDEMPOTENCY_LEASE} \
    "$JAVA" $GATEWAY_JAVA_OPTS -jar target/sms-gateway.jar > "$WORK/$2.log" 2>&1 &
  echo $!
}

echo "== fresh schema $SCHEMA and Redis keys $KEY_PREFIX*; replicas A on :$PORT_A and B on :$PORT_B (sandbox Twilio)"
psql_q "DROP SCHEMA IF EXISTS $SCHEMA CASCADE"
redis-cli --scan --pattern "$KEY_PREFIX*" | xargs -r -n 500 redis-cli del > /dev/null
PID_A=$(start_replica "$PORT_A" a)
await_ready "http://127.0.0.1:$PORT_A" "$PID_A" "$WORK/a.log" # A migrates the schema first
PID_B=$(start_replica "$PORT_B" b)
await_ready "http://127.0.0.1:$PORT_B" "$PID_B" "$WORK/b.log"

echo "== registering $POOL pool numbers and $TEXTS calls (one text each)"
SCHEMA=$SCHEMA PG_DB=$PG_DB PG_USER=$PG_USER python3 load-tests/incall/incall.py register "http://127.0.0.1:$PORT_A" "$ADMIN_KEY" \
  "crash$RUN_ID" "$TEXTS" "$POOL" "$WORK/calls.ids"

echo "== $TEXTS texts to A over $CONNECTIONS connections; SIGKILL of A after $KILL_AFTER answers; clients retry on B for $RETRY_SECONDS s"
python3 load-tests/crash-retry/crash_retry.py "http://127.0.0.1:$PORT_A" "http://127.0.0.1:$PORT_B" "$ADMIN_KEY" "$WORK/calls.ids" \
  "$PID_A" "$KILL_AFTER" "$RETRY_SECONDS" "$CONNECTIONS" "$WORK/outcomes.txt"
wait "$PID_A" 2>/dev/null || true
PID_A=

ANSWERED_IDS=$(awk '$4 != "-" {printf "%s\x27%s\x27", (n++ ? "," : ""), $4}' "$WORK/outcomes.txt")
DUPLICATES=$(psql_q "SELECT count(*) FROM (SELECT call_id FROM $SCHEMA.messages WHERE call_id LIKE 'bench-crash$RUN_ID-%' GROUP BY call_id HAVING count(*) > 1) twice")
STORED=$(psql_q "SELECT count(*) FROM $SCHEMA.messages WHERE call_id LIKE 'bench-crash$RUN_ID-%'")
ANSWERED_STORED=$(psql_q "SELECT count(*) FROM $SCHEMA.messages WHERE id IN (${ANSWERED_IDS:-''})")
echo "   texts stored: $STORED; calls with two texts (stored twice): $DUPLICATES (must be 0); answered: $(grep -vc ' - *$' "$WORK/outcomes.txt" || true), of them stored: $ANSWERED_STORED"
echo "   retries on B that found the text A had stored before dying (answered with it): $(curl -fs "http://127.0.0.1:$((PORT_B + 1))/metrics" \
  | sed -n 's/^gateway_outbound_found_stored_messages_total\S* \([0-9.]*\).*/\1/p' | cut -d. -f1)"
echo "   idempotency lease (in_progress_timeout): ${IDEMPOTENCY_LEASE:-the default (8s)}"
echo "== $(nproc) cores; PostgreSQL $(psql_q 'SHOW server_version'); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
