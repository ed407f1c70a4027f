#!/usr/bin/env bash
# Inbound webhook ingest of the production jar against the local PostgreSQL, next to pgbench single-row INSERTs
# into a copy of the same table with the same client count, in the same run.
#   1. max: wrk with CONNECTIONS connections as fast as they go (signed webhooks, every MessageSid unique), with the
#      CPU per webhook of the gateway, PostgreSQL, Redis and the rest (and per INSERT of pgbench with 8 clients);
#   2. pgbench: one durable single-row INSERT per transaction, 1, 8 and CONNECTIONS clients (the gateway idle);
#   3. half: wrk paced at half the max rate (latency at half load).
# After each wrk run, the rows in PostgreSQL are counted against the acknowledged (200) webhooks. Every measured phase
# starts after a CHECKPOINT, so none pays for the WAL of the one before (the half-load phase for pgbench's, say).
# Usage: load-tests/inbound/run.sh   (needs wrk, pgbench, psql, python3; PostgreSQL and Redis on 127.0.0.1)
# Knobs: CONNECTIONS (64), DURATION seconds (30), WARMUP seconds (10), PG_DB (test), PG_USER (postgres), PORT (18080),
# MANAGEMENT_PORT (PORT + 1, where /metrics is served).
set -euo pipefail
cd "$(dirname "$0")/../.."
source load-tests/gateway.sh

CONNECTIONS="${CONNECTIONS:-64}"
DURATION="${DURATION:-30}"
WARMUP="${WARMUP:-10}"
PG_DB="${PG_DB:-test}"
PG_USER="${PG_USER:-postgres}"
PORT="${PORT:-18080}"
MANAGEMENT_PORT="${MANAGEMENT_PORT:-$((PORT + 1))}"
SCHEMA="${SCHEMA:-load_inbound}"
# Enough unique MessageSids for 25,000 webhooks/s; wrk warns if they run out.
SIDS=$(( 25000 * DURATION ))
WORK=$(mktemp -d)
SANDBOX_ACCOUNT_SID=AC00000000000000000000000000000000
SANDBOX_AUTH_TOKEN=sandbox-auth-token-00000000000000
URL="http://127.0.0.1:$PORT"


GATEWAY_PID=
cleanup() {
  if [ -n "$GATEWAY_PID" ]; then kill "$GATEWAY_PID" 2>/dev/null && wait "$GATEWAY_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

build_jar

echo "== fresh schema $SCHEMA; starting the gateway (2 event loops) on :$PORT"
psql_q "DROP SCHEMA IF EXISTS $SCHEMA CASCADE"
# The Twilio sandbox, chosen explicitly (the jar's default is live Twilio).
GATEWAY_TWILIO_MODE=sandbox \
GATEWAY_PG_URL="postgresql://$PG_USER@127.0.0.1:5432/$PG_DB" GATEWAY_PG_SCHEMA=$SCHEMA \
GATEWAY_REDIS_URL=redis://127.0.0.1:6379 GATEWAY_REDIS_KEY_PREFIX="$SCHEMA:" \
GATEWAY_HTTP_PORT=$PORT GATEWAY_HTTP_HOST=127.0.0.1 GATEWAY_MANAGEMENT_PORT=$MANAGEMENT_PORT GATEWAY_MANAGEMENT_HOST=127.0.0.1 GATEWAY_PUBLIC_BASE_URL="$URL" GATEWAY_HTTP_EVENT_LOOPS=2 \
  "$JAVA" $GATEWAY_JAVA_OPTS -jar target/sms-gateway.jar > "$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
await_ready "$URL" "$GATEWAY_PID" "$WORK/gateway.log"

echo "== signing webhooks ($SIDS unique MessageSids per run)"
for phase in warmup max half; do
  prefix=$(python3 -c 'import secrets; print(secrets.token_hex(4))')
  echo "$prefix" > "$WORK/$phase.prefix"
  python3 load-tests/inbound/sign_webhooks.py "$URL/twilio/messages" "$SANDBOX_AUTH_TOKEN" "$SANDBOX_ACCOUNT_SID" "$SIDS" "$prefix" "$WORK/$phase"
done

drive() { # phase, seconds, rate (0: unpaced)
  WEBHOOKS="$WORK/$1" THREADS=1 RATE="$3" wrk -t1 -c"$CONNECTIONS" -d"$2s" --timeout 15s --latency \
    -s load-tests/inbound/webhooks.lua "$URL" | tee "$WORK/$1.out" | grep -E '^(RESULT|WARNING)'
  local result acknowledged stored
  result=$(grep '^RESULT' "$WORK/$1.out")
  acknowledged=$(( $(sed 's/.*requests=\([0-9]*\).*/\1/' <<< "$result") - $(sed 's/.*non2xx=\([0-9]*\).*/\1/' <<< "$result") ))
  stored=$(psql_q "SELECT count(*) FROM $SCHEMA.messages WHERE twilio_sid LIKE 'SM$(cat "$WORK/$1.prefix")%'")
  echo "   acknowledged (200): $acknowledged; rows stored: $stored$([ "$stored" -ge "$acknowledged" ] && echo ' (every acknowledged webhook is stored)' || echo ' MISSING ROWS')"
}

psql_q "CREATE TABLE $SCHEMA.pgbench_messages (LIKE $SCHEMA.messages INCLUDING ALL)"
RAW_PARAMS=$(python3 - <<'PY'
import json
print(json.dumps({"ToCountry": "US", "ToState": "CA", "ToCity": "SAN FRANCISCO", "ToZip": "94105", "FromCountry": "US",
  "FromState": "CA", "FromCity": "OAKLAND", "FromZip": "94607", "SmsMessageSid": "SMx", "SmsSid": "SMx", "MessageSid": "SMx",
  "AccountSid": "AC00000000000000000000000000000000", "MessagingServiceSid": "MG00000000000000000000000000000000",
  "From": "+14155550100", "To": "+14155550199",
  "Body": "Hi, this is Sam. Can you move my appointment to Thursday at 3pm? Thanks!", "NumMedia": "0", "NumSegments": "1",
  "SmsStatus": "received", "ApiVersion": "2010-04-01"}).replace("'", "''"))
PY
)
cat > "$WORK/insert.sql" <<SQL
INSERT INTO $SCHEMA.pgbench_messages (id, direction, twilio_sid, account_sid, from_number, to_number, body, media, num_segments,
    status, raw_params, dispatch_state, dispatch_attempts, lease_owner, lease_until)
VALUES ('msg_' || md5(random()::text), 'inbound', 'SM' || md5(random()::text), '$SANDBOX_ACCOUNT_SID', '+14155550100',
    '+14155550199', 'Hi, this is Sam. Can you move my appointment to Thursday at 3pm? Thanks!', '[]', 1, 'received',
    '$RAW_PARAMS', 'pending', 1, 'pgbench', now() + interval '10 seconds');
SQL

echo "== warm-up: $WARMUP s, $CONNECTIONS connections"
drive warmup "$WARMUP" 0 > /dev/null
fresh_checkpoint
echo "== max: $DURATION s, $CONNECTIONS connections, unpaced"
cpu_snapshot "$GATEWAY_PID" "$WORK/cpu.before"
drive max "$DURATION" 0
cpu_snapshot "$GATEWAY_PID" "$WORK/cpu.after"
cpu_per_item "$WORK/cpu.before" "$WORK/cpu.after" "$(sed -n 's/^RESULT.* requests=\([0-9]*\).*/\1/p' "$WORK/max.out")" webhook
# Baselines: one client is the plain rate of durable single-row inserts, one commit after the other; 8 clients (the
# performance goal's yardstick: ingest >= 1.5x) and as many clients as wrk has connections also get PostgreSQL's own
# sharing of WAL flushes between concurrent commits.
pgbench_inserts() { # clients, output file
  fresh_checkpoint
  echo "== pgbench: single-row INSERT per transaction into a copy of the messages table, $1 client(s), $DURATION s (gateway idle)"
  pgbench -h 127.0.0.1 -U "$PG_USER" -n -M prepared -c "$1" -j "$(( $1 < 2 ? 1 : 2 ))" -T "$DURATION" -f "$WORK/insert.sql" "$PG_DB" \
    | tee "$WORK/$2" | grep -E '^(tps|latency average)'
}
pgbench_inserts 1 pgbench1.out
cpu_snapshot "$GATEWAY_PID" "$WORK/cpu.before"
pgbench_inserts 8 pgbench8.out
cpu_snapshot "$GATEWAY_PID" "$WORK/cpu.after"
cpu_per_item "$WORK/cpu.before" "$WORK/cpu.after" "$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$WORK/pgbench8.out")" \
  "pgbench INSERT" machine
pgbench_inserts "$CONNECTIONS" pgbench.out
MAX_RPS=$(sed -n 's/^RESULT.* rps=\([0-9]*\).*/\1/p' "$WORK/max.out")
PGBENCH1_TPS=$(sed -n 's/^tps = \([0-9]*\).*/\1/p' "$WORK/pgbench1.out")
PGBENCH8_TPS=$(sed -n 's/^tps = \([0-9]*\).*/\1/p' "$WORK/pgbench8.out")
PGBENCH_TPS=$(sed -n 's/^tps = \([0-9]*\).*/\1/p' "$WORK/pgbench.out")
HALF_RPS=$(( MAX_RPS / 2 ))
fresh_checkpoint
echo "== half load: $DURATION s, $CONNECTIONS connections, paced at $HALF_RPS webhooks/s"
drive half "$DURATION" "$HALF_RPS"
echo "== gateway batches: $(curl -fs "http://127.0.0.1:$MANAGEMENT_PORT/metrics" | grep -E '^gateway_inbound_batch_size_rows_(count|sum)\{writer="ingest"' | awk '{printf "%s=%s ", $1, $2}')"

ratio() { python3 -c "print(round($1 / $2, 2))"; }
echo "== ingest $MAX_RPS webhooks/s = $(ratio "$MAX_RPS" "$PGBENCH1_TPS") x pgbench 1 client ($PGBENCH1_TPS tps), $(ratio "$MAX_RPS" "$PGBENCH8_TPS") x pgbench 8 clients ($PGBENCH8_TPS tps; goal >= 1.5), $(ratio "$MAX_RPS" "$PGBENCH_TPS") x pgbench $CONNECTIONS clients ($PGBENCH_TPS tps); half-load p99 $(sed -n 's/^RESULT.* p99_ms=\([0-9.]*\).*/\1/p' "$WORK/half.out") ms (goal: <= 25)"
echo "== gateway memory: $(gateway_rss "$GATEWAY_PID") (limit of the performance issue: 512 MiB)"
echo "== load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other processes on this machine skew both sides)"
echo "== $(nproc) cores; PostgreSQL $(psql_q 'SHOW server_version'), synchronous_commit=$(psql_q 'SHOW synchronous_commit'), fsync=$(psql_q 'SHOW fsync')"
