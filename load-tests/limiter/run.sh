#!/usr/bin/env bash
# Segment limiter throughput from one process against a local Redis, next to redis-benchmark's INCR for scale.
# Usage: load-tests/limiter/run.sh [redis-url]   (default redis://127.0.0.1:6379; needs redis-benchmark on PATH)
#        REDIS_MODE=cluster load-tests/limiter/run.sh [comma-separated master URLs]
#        (default the three masters .ci/run starts: redis://127.0.0.1:7001,7002,7003; the client routes by hash slot)
set -euo pipefail
cd "$(dirname "$0")/../.."

REDIS_MODE="${REDIS_MODE:-standalone}"
if [ "$REDIS_MODE" = cluster ]; then
  REDIS_URL="${1:-redis://127.0.0.1:7001,redis://127.0.0.1:7002,redis://127.0.0.1:7003}"
  CLUSTER_FLAG=--cluster
else
  REDIS_URL="${1:-redis://127.0.0.1:6379}"
  CLUSTER_FLAG=
fi
HOST_PORT="${REDIS_URL%%,*}"
HOST_PORT="${HOST_PORT#redis://}"
HOST="${HOST_PORT%%:*}"
PORT="${HOST_PORT##*:}"
CHECKS="${CHECKS:-200000}"

bench() { # in-flight, brands
  # test-compile in the same run selects the JDK >= 21 toolchain that exec then runs java from.
  ./mvnw -q -B test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:exec \
    -Dexec.executable=java -Dexec.classpathScope=test \
    -Dexec.args="-cp %classpath com.smsgateway.ratelimit.LimiterBenchmark $REDIS_URL $1 $CHECKS $2"
}

echo "== $(nproc) cores, Redis $REDIS_MODE ($REDIS_URL), $(redis-cli -h "$HOST" -p "$PORT" info server | grep -E '^redis_version' | tr -d '\r')"
echo "== SegmentLimiter.tryCharge (one EVALSHA per check), $CHECKS checks"
bench 1 1000
bench 16 1000
bench 64 1000
bench 64 1

echo "== redis-benchmark INCR (C client, 50 connections, no pipelining)"
# -q still draws a progress line with carriage returns; keep only the summary.
redis-benchmark $CLUSTER_FLAG -h "$HOST" -p "$PORT" -t incr -n 200000 -q | tr '\r' '\n' | grep -v 'rps=' | grep '[^[:space:]]'
