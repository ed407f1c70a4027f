#!/usr/bin/env bash
# In-call SMS throughput of the production jar: POST /v1/calls/{call_id}/sms (a pool template) through call lookup,
# pool pinning, the outbound pipeline (opt-out, segments, rate limit, store) and the sandbox Twilio, spread over
# CALLS calls at random, so both first SMS (which pin a pool number) and later SMS are measured. Reports requests/s,
# p50/p99, Redis commands executed per SMS (`redis-cli info commandstats` deltas, background subtracted), and the
# round trips per SMS (commands the gateway sent, from a short run under MONITOR) by pipeline step, PostgreSQL
# transactions and row writes per SMS, CPU per SMS by process (gateway, PostgreSQL, Redis, the rest); then the latency at
# half the measured rate (paced, fresh calls). Both measured phases start after a PostgreSQL CHECKPOINT.
# Usage: load-tests/incall/run.sh   (needs wrk, psql, redis-cli, python3; PostgreSQL and Redis on 127.0.0.1)
# Knobs: CONNECTIONS (32), DURATION seconds (30), WARMUP seconds (10), IDLE seconds (10), MONITOR_SECONDS (5),
#        CALLS (2000), POOL (50), PG_DB (test), PG_USER (postgres), PORT (18090 standalone, 18092 cluster),
#        REDIS_MODE (standalone: 127.0.0.1:6379; cluster: the masters on REDIS_CLUSTER_PORTS, default 7001,7002,7003,
#        as .ci/run starts them; counts are summed over the masters, MONITOR watches each).
#        MANAGEMENT_PORT (PORT + 1, where /metrics is served).
set -euo pipefail
cd "$(dirname "$0")/../.."
source load-tests/gateway.sh

CONNECTIONS="${CONNECTIONS:-32}"
DURATION="${DURATION:-30}"
WARMUP="${WARMUP:-10}"
IDLE="${IDLE:-10}"
MONITOR_SECONDS="${MONITOR_SECONDS:-5}"
CALLS="${CALLS:-2000}"
POOL="${POOL:-50}"
PG_DB="${PG_DB:-test}"
PG_USER="${PG_USER:-postgres}"
REDIS_MODE="${REDIS_MODE:-standalone}"
if [ "$REDIS_MODE" = cluster ]; then
  REDIS_PORTS="${REDIS_CLUSTER_PORTS:-7001,7002,7003}"
  PORT="${PORT:-18092}"
  SCHEMA="${SCHEMA:-load_incall_cluster}"
  REDIS_ENV="GATEWAY_REDIS_MODE=cluster GATEWAY_REDIS_ENDPOINTS=$(echo "$REDIS_PORTS" | sed 's/\([0-9]\+\)/redis:\/\/127.0.0.1:\1/g')"
else
  REDIS_PORTS=6379
  PORT="${PORT:-18090}"
  SCHEMA="${SCHEMA:-load_incall}"
  REDIS_ENV="GATEWAY_REDIS_URL=redis://127.0.0.1:6379"
fi
MANAGEMENT_PORT="${MANAGEMENT_PORT:-$((PORT + 1))}"
KEY_PREFIX="$SCHEMA:"
ADMIN_KEY=load-incall-admin-key-0123456789
RUN_ID=$(python3 -c 'import secrets; print(secrets.token_hex(4))')
WORK=$(mktemp -d)
URL="http://127.0.0.1:$PORT"
METRICS_URL="http://127.0.0.1:$MANAGEMENT_PORT"

export PGOPTIONS="-c client_min_messages=warning"
incall() { SCHEMA=$SCHEMA PG_DB=$PG_DB PG_USER=$PG_USER python3 load-tests/incall/incall.py "$@"; }

GATEWAY_PID=
MONITOR_PIDS=
cleanup() {
  for pid in $MONITOR_PIDS; do kill "$pid" 2>/dev/null || true; done
  if [ -n "$GATEWAY_PID" ]; then kill "$GATEWAY_PID" 2>/dev/null && wait "$GATEWAY_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

build_jar

echo "== fresh schema $SCHEMA and Redis keys $KEY_PREFIX* (Redis $REDIS_MODE on $REDIS_PORTS); starting the gateway (2 event loops, sandbox Twilio) on :$PORT"
psql_q "DROP SCHEMA IF EXISTS $SCHEMA CASCADE"
DELETE_BATCH=500 # keys per DEL; a Cluster refuses a DEL of keys in several slots
[ "$REDIS_MODE" = cluster ] && DELETE_BATCH=1
for redis_port in ${REDIS_PORTS//,/ }; do
  redis-cli -p "$redis_port" --scan --pattern "$KEY_PREFIX*" | xargs -r -n "$DELETE_BATCH" redis-cli -p "$redis_port" del > /dev/null
done
env $REDIS_ENV $(incall_gateway_env "$PORT" "$MANAGEMENT_PORT") \
  "$JAVA" $GATEWAY_JAVA_OPTS -jar target/sms-gateway.jar > "$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
await_ready "$URL" "$GATEWAY_PID" "$WORK/gateway.log"

echo "== registering $POOL pool numbers, $CALLS calls to measure and $(( CALLS / 10 )) to warm up with"
incall register "$URL" "$ADMIN_KEY" "$RUN_ID" "$CALLS" "$POOL" "$WORK/calls.ids"
incall register "$URL" "$ADMIN_KEY" "warm$RUN_ID" $(( CALLS / 10 )) "$POOL" "$WORK/warmup.ids"
incall register "$URL" "$ADMIN_KEY" "mon$RUN_ID" $(( CALLS / 10 )) "$POOL" "$WORK/monitor.ids"
incall register "$URL" "$ADMIN_KEY" "half$RUN_ID" "$CALLS" "$POOL" "$WORK/half.ids"

drive() { # call ids file, seconds, output[, requests/s]
  CALL_IDS="$1" ADMIN_KEY=$ADMIN_KEY RATE="${4:-0}" wrk -t1 -c"$CONNECTIONS" -d"$2s" --timeout 15s --latency \
    -s load-tests/incall/calls.lua "$URL" > "$3"
}

echo "== warm-up: $WARMUP s on other calls"
drive "$WORK/warmup.ids" "$WARMUP" "$WORK/warmup.out"
echo "== background: $IDLE s with the gateway idle (other clients of this Redis keep counting)"
sleep 2 # let the warm-up's sends and sandbox callbacks finish
incall snapshot "$METRICS_URL" 127.0.0.1 "$REDIS_PORTS" "$WORK/idle.before"
sleep "$IDLE"
incall snapshot "$METRICS_URL" 127.0.0.1 "$REDIS_PORTS" "$WORK/idle.after"

fresh_checkpoint
echo "== measured: $DURATION s, $CONNECTIONS connections, unpaced, over $CALLS fresh calls"
incall snapshot "$METRICS_URL" 127.0.0.1 "$REDIS_PORTS" "$WORK/run.before"
cpu_snapshot "$GATEWAY_PID" "$WORK/cpu.before"
drive "$WORK/calls.ids" "$DURATION" "$WORK/run.out"
incall snapshot "$METRICS_URL" 127.0.0.1 "$REDIS_PORTS" "$WORK/run.after"
# The run's CPU includes the work its texts cause after wrk stops: sends and callbacks until each text is finished
# (delivered; at most 30 s more).
for _ in $(seq 1 60); do
  [ "$(psql_q "SELECT count(*) FROM $SCHEMA.messages WHERE call_id LIKE 'bench-$RUN_ID-%' AND NOT finished")" = 0 ] && break
  sleep 0.5
done
cpu_snapshot "$GATEWAY_PID" "$WORK/cpu.after"
grep -E '^(RESULT|  Latency)' "$WORK/run.out"
read -r SMS FIRST_SMS < <(psql_q "SELECT count(*), count(DISTINCT call_id) FROM $SCHEMA.messages WHERE call_id LIKE 'bench-$RUN_ID-%'" | tr '|' ' ')
incall report "$WORK/run.before" "$WORK/run.after" "$WORK/idle.before" "$WORK/idle.after" "$DURATION" "$IDLE" "$SMS" "$FIRST_SMS"
cpu_per_item "$WORK/cpu.before" "$WORK/cpu.after" "$SMS" "SMS, until its last callback"

# commandstats counts the commands scripts run as well; MONITOR tells the ones the gateway sent (round trips) from
# those run inside a script ('[0 lua]'). It slows Redis down, so it watches a short separate run of its own.
echo "== round trips: $MONITOR_SECONDS s, 4 connections, over $(( CALLS / 10 )) fresh calls, under redis-cli MONITOR"
for redis_port in ${REDIS_PORTS//,/ }; do
  redis-cli -p "$redis_port" monitor > "$WORK/monitor-$redis_port.log" &
  MONITOR_PIDS="$MONITOR_PIDS $!"
done
CONNECTIONS=4 drive "$WORK/monitor.ids" "$MONITOR_SECONDS" "$WORK/monitor.out"
for pid in $MONITOR_PIDS; do kill "$pid"; done
MONITOR_PIDS=
cat "$WORK"/monitor-*.log > "$WORK/monitor.log"
read -r SMS FIRST_SMS < <(psql_q "SELECT count(*), count(DISTINCT call_id) FROM $SCHEMA.messages WHERE call_id LIKE 'bench-mon$RUN_ID-%'" | tr '|' ' ')
incall round-trips "$WORK/monitor.log" "$KEY_PREFIX" "$SMS" "$FIRST_SMS"

HALF_RPS=$(( $(sed -n 's/^RESULT.* rps=\([0-9]*\).*/\1/p' "$WORK/run.out") / 2 ))
echo "== half load: $DURATION s, $CONNECTIONS connections, paced at $HALF_RPS requests/s, over $CALLS fresh calls"
sleep 2 # let the round-trip run's sends and callbacks finish
fresh_checkpoint
drive "$WORK/half.ids" "$DURATION" "$WORK/half.out" "$HALF_RPS"
echo "   $(grep '^RESULT' "$WORK/half.out") (goal: p99 < 100 ms)"
echo "== gateway memory: $(gateway_rss "$GATEWAY_PID") (limit of the performance issue: 512 MiB)"
echo "== load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores shared by wrk, the gateway, PostgreSQL and Redis"
echo "== Redis $REDIS_MODE ($REDIS_PORTS), $(redis-cli -p "${REDIS_PORTS%%,*}" info server | grep -E '^redis_version' | tr -d '\r'); PostgreSQL $(psql_q 'SHOW server_version'), synchronous_commit=$(psql_q 'SHOW synchronous_commit')"
