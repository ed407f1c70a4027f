# Shared by the load-test scripts (source it): building the production jar, the Java >= 21 to run it, waiting for it.

# Prints the path of a java whose version is >= 21 (the jar's release), from JAVA_HOME, PATH or /usr/lib/jvm.
java21() {
  local java
  for java in "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
    if [ -x "$java" ] && [ "$("$java" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1)" -ge 21 ] 2>/dev/null; then
      echo "$java"
      return 0
    fi
  done
  echo "No Java >= 21 found (JAVA_HOME, PATH, /usr/lib/jvm)" >&2
  return 1
}

# Waits up to 60 s for URL/health/ready; prints LOG and fails when process PID exits first.
await_ready() { # url, pid, log
  for _ in $(seq 1 120); do
    curl -fs "$1/health/ready" > /dev/null && return 0
    kill -0 "$2" 2>/dev/null || { cat "$3"; return 1; }
    sleep 0.5
  done
  curl -fs "$1/health/ready" > /dev/null
}

# Builds target/sms-gateway.jar and sets JAVA to the java that runs it. The gateway's JVM gets the production flags
# (conf/jvm.options) and then GATEWAY_JAVA_OPTS (say a JFR recording; a later flag wins).
build_jar() {
  GATEWAY_JAVA_OPTS="@conf/jvm.options ${GATEWAY_JAVA_OPTS:-}"
  echo "== building target/sms-gateway.jar"
  ./mvnw -q -B package -DskipTests
  JAVA=$(java21)
}

# The settings of a gateway under in-call load (load-tests/incall, load-tests/crash-retry), one NAME=VALUE per word for
# env: the sandbox Twilio (the jar's default is live Twilio), segment and API-key limits no run reaches (the limiter does
# all its work but never refuses), 2 event loops, on 127.0.0.1:PORT with SCHEMA, KEY_PREFIX, ADMIN_KEY, PG_USER, PG_DB.
incall_gateway_env() { # port, management port
  echo GATEWAY_TWILIO_MODE=sandbox GATEWAY_RATELIMIT_POOL_BRAND_WORKSPACE_DAILY_SEGMENTS=1000000000 \
    GATEWAY_PG_URL="postgresql://$PG_USER@127.0.0.1:5432/$PG_DB" GATEWAY_PG_SCHEMA="$SCHEMA" \
    GATEWAY_REDIS_KEY_PREFIX="$KEY_PREFIX" GATEWAY_ADMIN_API_KEY="$ADMIN_KEY" \
    GATEWAY_HTTP_PORT="$1" GATEWAY_HTTP_HOST=127.0.0.1 GATEWAY_MANAGEMENT_PORT="$2" GATEWAY_MANAGEMENT_HOST=127.0.0.1 \
    GATEWAY_HTTP_RATE_LIMIT_PER_KEY_PER_SECOND=1000000 GATEWAY_HTTP_RATE_LIMIT_BURST=1000000 \
    GATEWAY_PUBLIC_BASE_URL="http://127.0.0.1:$1" GATEWAY_HTTP_EVENT_LOOPS=2 \
    GATEWAY_RATELIMIT_TIERS_STANDARD_SEGMENTS_PER_SECOND=10000000 GATEWAY_RATELIMIT_TIERS_STANDARD_DAILY_SEGMENTS=1000000000 \
    GATEWAY_RATELIMIT_TIERS_STANDARD_DAILY_TMOBILE_SEGMENTS=1000000000
}

# One statement through psql against PG_DB as PG_USER on 127.0.0.1: unaligned, no notices, stops on an error.
psql_q() { # sql
  PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning" psql -h 127.0.0.1 -U "$PG_USER" -d "$PG_DB" -v ON_ERROR_STOP=1 -qAtc "$1"
}

# A PostgreSQL checkpoint before a measured phase, so that no phase pays for the WAL an earlier one wrote (a checkpoint
# that the volume of WAL starts mid-phase makes every first change of a page write its full image).
fresh_checkpoint() {
  psql_q "CHECKPOINT"
}

# The gateway's resident memory: now and its peak (VmRSS, VmHWM of /proc/PID/status), in MiB.
gateway_rss() { # pid
  awk '/^VmRSS/ {now = $2} /^VmHWM/ {peak = $2} END {printf "RSS %.0f MiB now, %.0f MiB at peak", now / 1024, peak / 1024}' "/proc/$1/status"
}

# CPU time used so far (user + system, seconds) by the gateway (PID), PostgreSQL, Redis and the whole machine, written
# to FILE with the time. Two snapshots give each one's share of a window (cpu_per_item). A process that exits in between
# (wrk, pgbench, a PostgreSQL backend) drops out of its sum, so the load generators show in the machine's rest.
cpu_snapshot() { # gateway pid, file
  python3 - "$1" > "$2" <<'PY'
import os, sys, time
hz = os.sysconf('SC_CLK_TCK')
print('time', time.time())
used = {'gateway': 0, 'postgres': 0, 'redis': 0}
for pid in filter(str.isdigit, os.listdir('/proc')):
    try:
        stat = open(f'/proc/{pid}/stat').read()
    except OSError:
        continue
    comm, fields = stat[stat.index('(') + 1:stat.rindex(')')], stat[stat.rindex(')') + 2:].split()
    group = 'gateway' if pid == sys.argv[1] else {'postgres': 'postgres', 'redis-server': 'redis'}.get(comm)
    if group:
        used[group] += (int(fields[11]) + int(fields[12])) / hz
cpu = [int(v) for v in open('/proc/stat').readline().split()[1:]]
used['machine'] = (sum(cpu) - cpu[3] - cpu[4]) / hz  # everything but idle and iowait
for group, seconds in used.items():
    print(group, seconds)
PY
}

# Milliseconds of CPU per ITEM between two cpu_snapshot files, by process, and the machine's busy share of its cores.
# With "machine" as the fifth argument, the machine's total only (for a load, like pgbench, whose processes and
# PostgreSQL backends all exit before the second snapshot).
cpu_per_item() { # before file, after file, items, what an item is[, machine]
  python3 - "$@" <<'PY'
import os, sys
before, after = ({g: float(s) for g, s in (l.split() for l in open(f))} for f in sys.argv[1:3])
items, what, seconds = int(sys.argv[3]), sys.argv[4], after.pop('time') - before.pop('time')
ms = {g: (after[g] - before[g]) * 1000 / max(items, 1) for g in after}
rest = ms['machine'] - ms['gateway'] - ms['postgres'] - ms['redis']
busy = f"(busy {100 * (after['machine'] - before['machine']) / seconds / os.cpu_count():.0f} % of {os.cpu_count()} cores)"
if sys.argv[5:] == ['machine']:
    print(f"   CPU per {what} ({items} in {seconds:.0f} s): machine {ms['machine']:.2f} ms {busy}")
else:
    print(f"   CPU per {what} ({items} in {seconds:.0f} s): gateway {ms['gateway']:.2f} ms, PostgreSQL {ms['postgres']:.2f} ms, "
          f"Redis {ms['redis']:.2f} ms, the rest (load generator, kernel) {rest:.2f} ms; machine {ms['machine']:.2f} ms {busy}")
PY
}
