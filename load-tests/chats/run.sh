#!/usr/bin/env bash
# Chats benchmark: inbound text -> chat -> agent turn -> the agent's reply handed to the outbound pipeline, on the
# production jar (Twilio sandbox) with a local stand-in agent that answers at once (agent.py, signature checked).
# Every text comes from a new customer, so each opens a chat (the chat handler, the leased turn, the reply's opt-out,
# segment count, rate-limit charge and outbox insert all run per text). Two phases:
#   1. max: COUNT texts from THREADS connections as fast as they go: ingest texts/s (acknowledged webhooks) and chats/s
#      (replies handed to the pipeline per second, first text to last reply);
#   2. paced: COUNT texts at RATE texts/s: latency at a load the gateway keeps up with.
# Latency per chat: from the text's row (messages.created_at, the ingest commit) to the reply's row (created_at of the
# outbound message the pipeline stored), both PostgreSQL clock; p50/p90/p99/max over the phase.
# Usage: load-tests/chats/run.sh   (needs python3, psql; PostgreSQL and Redis on 127.0.0.1)
# Knobs: COUNT (2000), THREADS (16), RATE (50), NUMBERS (20), PORT (18100), SCHEMA (load_chats), PG_DB, PG_USER.
set -euo pipefail
cd "$(dirname "$0")/../.."
source load-tests/gateway.sh

COUNT="${COUNT:-2000}"
THREADS="${THREADS:-16}"
RATE="${RATE:-50}"
NUMBERS="${NUMBERS:-20}"
PORT="${PORT:-18100}"
AGENT_PORT=$((PORT + 1))
MGMT_PORT=$((PORT + 2))
SCHEMA="${SCHEMA:-load_chats}"
PG_DB="${PG_DB:-test}"
PG_USER="${PG_USER:-postgres}"
URL="http://127.0.0.1:$PORT"
SECRET=bench-agent-secret-0123456789
SANDBOX_ACCOUNT_SID=AC00000000000000000000000000000000
SANDBOX_AUTH_TOKEN=sandbox-auth-token-00000000000000
WORK=$(mktemp -d)


GATEWAY_PID=
AGENT_PID=
cleanup() {
  if [ -n "$GATEWAY_PID" ]; then kill "$GATEWAY_PID" 2>/dev/null && wait "$GATEWAY_PID" 2>/dev/null || true; fi
  if [ -n "$AGENT_PID" ]; then kill "$AGENT_PID" 2>/dev/null && wait "$AGENT_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

build_jar

echo "== stand-in agent on :$AGENT_PORT; fresh schema $SCHEMA; the gateway (2 event loops, sandbox) on :$PORT"
python3 load-tests/chats/agent.py "$AGENT_PORT" "$SECRET" &
AGENT_PID=$!
psql_q "DROP SCHEMA IF EXISTS $SCHEMA CASCADE"
# Limits high enough that no reply waits for a segment budget: this measures the path, not the tier.
GATEWAY_TWILIO_MODE=sandbox \
GATEWAY_PG_URL="postgresql://$PG_USER@127.0.0.1:5432/$PG_DB" GATEWAY_PG_SCHEMA=$SCHEMA \
GATEWAY_REDIS_URL=redis://127.0.0.1:6379 GATEWAY_REDIS_KEY_PREFIX="$SCHEMA:" \
GATEWAY_HTTP_PORT=$PORT GATEWAY_HTTP_HOST=127.0.0.1 GATEWAY_MANAGEMENT_PORT=$MGMT_PORT GATEWAY_PUBLIC_BASE_URL="$URL" \
GATEWAY_HTTP_EVENT_LOOPS=2 \
GATEWAY_CHAT_AGENTS_URL="http://127.0.0.1:$AGENT_PORT/turn" GATEWAY_CHAT_AGENTS_SECRET=$SECRET \
GATEWAY_RATELIMIT_TIERS_LOW_VOLUME_DAILY_SEGMENTS=100000000 GATEWAY_RATELIMIT_TIERS_LOW_VOLUME_DAILY_TMOBILE_SEGMENTS=100000000 \
GATEWAY_RATELIMIT_TIERS_LOW_VOLUME_SEGMENTS_PER_SECOND=100000 \
  "$JAVA" $GATEWAY_JAVA_OPTS -jar target/sms-gateway.jar > "$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
await_ready "$URL" "$GATEWAY_PID" "$WORK/gateway.log"

echo "== $NUMBERS enabled numbers with a chat agent (workspace ws_bench)"
for i in $(seq 1 "$NUMBERS"); do printf '+1415666%04d\n' "$i"; done > "$WORK/numbers"
psql_q "INSERT INTO $SCHEMA.sms_numbers (phone_number, type, workspace_id, sms_status, chat_agent_id)
        SELECT n, 'platform', 'ws_bench', 'enabled', 'bench_agent' FROM unnest(string_to_array('$(tr '\n' ',' < "$WORK/numbers" | sed 's/,$//')', ',')) n"

# Waits until every chat of the phase has its reply (or 120 s), then prints the figures.
measure() { # phase, customer prefix
  local prefix=$2 answered=0
  for _ in $(seq 1 240); do
    answered=$(psql_q "SELECT count(DISTINCT cm.chat_id) FROM $SCHEMA.chat_messages cm JOIN $SCHEMA.chats c ON c.id = cm.chat_id
                       WHERE cm.role = 'agent' AND c.customer_number LIKE '+1${prefix}%'")
    [ "$answered" -ge "$COUNT" ] && break
    sleep 0.5
  done
  psql_q "WITH firsts AS (
            SELECT c.id,
                   (SELECT min(m.created_at) FROM $SCHEMA.chat_messages cm JOIN $SCHEMA.messages m ON m.id = cm.message_id
                    WHERE cm.chat_id = c.id AND cm.role = 'user') AS text_at,
                   (SELECT min(m.created_at) FROM $SCHEMA.chat_messages cm JOIN $SCHEMA.messages m ON m.id = cm.message_id
                    WHERE cm.chat_id = c.id AND cm.role = 'agent') AS reply_at
            FROM $SCHEMA.chats c WHERE c.customer_number LIKE '+1${prefix}%')
          SELECT format('   %s: chats %s, answered %s; text -> reply handed to the pipeline: p50 %s ms, p90 %s ms, p99 %s ms, max %s ms; chats/s (first text to last reply) %s',
                 '$1', count(*), count(reply_at),
                 round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM reply_at - text_at) * 1000)::numeric, 1),
                 round(percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM reply_at - text_at) * 1000)::numeric, 1),
                 round(percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM reply_at - text_at) * 1000)::numeric, 1),
                 round(max(extract(epoch FROM reply_at - text_at) * 1000)::numeric, 1),
                 round((count(reply_at) / extract(epoch FROM max(reply_at) - min(text_at)))::numeric, 1))
          FROM firsts"
}

echo "== warm-up: 200 texts"
COUNT_SAVED=$COUNT
COUNT=200
python3 load-tests/chats/texts.py "$URL/twilio/messages" "$SANDBOX_AUTH_TOKEN" "$SANDBOX_ACCOUNT_SID" "$WORK/numbers" 200 "$THREADS" 0 900
measure warmup 900 > /dev/null
COUNT=$COUNT_SAVED

echo "== max: $COUNT texts (each a new chat) from $THREADS connections, unpaced"
python3 load-tests/chats/texts.py "$URL/twilio/messages" "$SANDBOX_AUTH_TOKEN" "$SANDBOX_ACCOUNT_SID" "$WORK/numbers" "$COUNT" "$THREADS" 0 901 \
  | sed 's/^/   ingest /'
measure max 901

echo "== paced: $COUNT texts at $RATE texts/s"
python3 load-tests/chats/texts.py "$URL/twilio/messages" "$SANDBOX_AUTH_TOKEN" "$SANDBOX_ACCOUNT_SID" "$WORK/numbers" "$COUNT" "$THREADS" "$RATE" 902 \
  | sed 's/^/   ingest /'
measure paced 902

echo "== gateway counters"
{ curl -fs "$URL/metrics" || curl -fs "http://127.0.0.1:$MGMT_PORT/metrics"; } | grep -E '^gateway_(chats_(started|replies_sent|agent_turn_failures|agent_turn_latency_seconds_(sum|count|max))|work_jobs|inbound_unrouted|carrier_lookups|twilio_api_latency_seconds_(sum|count))' || true
grep -cE ' (WARN|ERROR) ' "$WORK/gateway.log" | sed 's/^/   warnings+errors in the gateway log: /'
echo "== gateway memory: $(gateway_rss "$GATEWAY_PID") (limit of the performance issue: 512 MiB)"
