#!/usr/bin/env bash
# Fair sending of the production jar: workspace A queues TEXTS texts through POST /v1/messages as fast as CLIENTS
# clients can; right after, workspace B submits one text. Reports how long B's text took to be claimed ('sending')
# and accepted by Twilio, how many claims the replica made between storing B's text and claiming it (0: the next
# batch took it), and how many of A's texts were still queued then. Twilio is the sandbox behind a stand-in for the
# network that answers each request TWILIO_LATENCY_MS later: the sandbox itself answers at once, and on a shared
# 2-core machine queueing through the API is slow enough that sending would keep up and no backlog would build.
# Usage: load-tests/fairness/run.sh   (needs psql, python3; PostgreSQL and Redis on 127.0.0.1)
# Knobs: TEXTS (20000), CLIENTS (16), TWILIO_LATENCY_MS (1000), MAX_WAIT seconds B's text is watched (300),
#        PG_DB (test), PG_USER (postgres), PORT (18094; the management port is PORT + 1, the slow Twilio PORT + 2),
#        SCHEMA (load_fairness).
set -euo pipefail
cd "$(dirname "$0")/../.."
source load-tests/gateway.sh

TEXTS="${TEXTS:-20000}"
CLIENTS="${CLIENTS:-16}"
TWILIO_LATENCY_MS="${TWILIO_LATENCY_MS:-1000}"
MAX_WAIT="${MAX_WAIT:-300}"
PG_DB="${PG_DB:-test}"
PG_USER="${PG_USER:-postgres}"
PORT="${PORT:-18094}"
MANAGEMENT_PORT=$((PORT + 1))
TWILIO_PORT=$((PORT + 2))
SCHEMA="${SCHEMA:-load_fairness}"
KEY_PREFIX="$SCHEMA:"
ADMIN_KEY=load-fairness-admin-key-0123456789
WORK=$(mktemp -d)
URL="http://127.0.0.1:$PORT"

export PGOPTIONS="-c client_min_messages=warning"
fairness() { python3 load-tests/fairness/fairness.py "$@"; }

GATEWAY_PID=
TWILIO_PID=
cleanup() {
  if [ -n "$GATEWAY_PID" ]; then kill "$GATEWAY_PID" 2>/dev/null && wait "$GATEWAY_PID" 2>/dev/null || true; fi
  if [ -n "$TWILIO_PID" ]; then kill "$TWILIO_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

build_jar

echo "== fresh schema $SCHEMA and Redis keys $KEY_PREFIX*; Twilio: the sandbox behind a ${TWILIO_LATENCY_MS} ms stand-in on :$TWILIO_PORT"
psql_q "DROP SCHEMA IF EXISTS $SCHEMA CASCADE"
redis-cli --scan --pattern "$KEY_PREFIX*" | xargs -r -n 500 redis-cli del > /dev/null
python3 load-tests/fairness/fairness.py twilio "$TWILIO_PORT" "$URL" "$TWILIO_LATENCY_MS" &
TWILIO_PID=$!

echo "== starting the gateway (2 event loops, default outbound settings) on :$PORT"
# Limits no run reaches (workspace brands get the standard tier, not low_volume): all of A's texts queue.
GATEWAY_RATELIMIT_WORKSPACE_BRANDS_DEFAULT_TIER=standard GATEWAY_TWILIO_MODE=sandbox GATEWAY_TWILIO_API_BASE_URL="http://127.0.0.1:$TWILIO_PORT/sandbox/twilio" \
GATEWAY_PG_URL="postgresql://$PG_USER@127.0.0.1:5432/$PG_DB" GATEWAY_PG_SCHEMA=$SCHEMA \
GATEWAY_REDIS_URL=redis://127.0.0.1:6379 GATEWAY_REDIS_KEY_PREFIX="$KEY_PREFIX" GATEWAY_ADMIN_API_KEY=$ADMIN_KEY \
GATEWAY_HTTP_PORT=$PORT GATEWAY_HTTP_HOST=127.0.0.1 GATEWAY_MANAGEMENT_PORT=$MANAGEMENT_PORT GATEWAY_MANAGEMENT_HOST=127.0.0.1 \
GATEWAY_HTTP_RATE_LIMIT_PER_KEY_PER_SECOND=1000000 GATEWAY_HTTP_RATE_LIMIT_BURST=1000000 GATEWAY_PUBLIC_BASE_URL="$URL" GATEWAY_HTTP_EVENT_LOOPS=2 \
GATEWAY_RATELIMIT_TIERS_STANDARD_SEGMENTS_PER_SECOND=10000000 \
GATEWAY_RATELIMIT_TIERS_STANDARD_DAILY_SEGMENTS=1000000000 GATEWAY_RATELIMIT_TIERS_STANDARD_DAILY_TMOBILE_SEGMENTS=1000000000 \
  "$JAVA" $GATEWAY_JAVA_OPTS -jar target/sms-gateway.jar > "$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
await_ready "$URL" "$GATEWAY_PID" "$WORK/gateway.log"
BATCH_SIZE=$(grep -E '^  batch_size:' -m1 <(sed -n '/^outbound:/,/^[a-z]/p' conf/gateway.yaml) | awk '{print $2}')

fairness setup "$URL" "$ADMIN_KEY" "$WORK/setup.json"
echo "== workspace A queues $TEXTS texts ($CLIENTS clients); the replica sends meanwhile, $BATCH_SIZE texts a batch"
fairness flood "$URL" "$WORK/setup.json" "$TEXTS" "$CLIENTS"
echo "== workspace B submits one text; watched until Twilio accepted it"
read -r B_ID SUBMITTED < <(fairness probe "$URL" "$WORK/setup.json" "$MAX_WAIT")

PGOPTIONS="$PGOPTIONS -c search_path=$SCHEMA" psql -h 127.0.0.1 -U "$PG_USER" -d "$PG_DB" -v ON_ERROR_STOP=1 -qAt \
  -v b_id="$B_ID" -v submitted="$SUBMITTED" -f load-tests/fairness/report.sql

echo "== gateway memory: $(gateway_rss "$GATEWAY_PID")"
echo "== load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores shared by the clients, the slow Twilio, the gateway, PostgreSQL and Redis"
echo "== PostgreSQL $(psql_q 'SHOW server_version')"
