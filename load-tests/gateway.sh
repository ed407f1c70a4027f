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

# One statement through psql against PG_DB as PG_USER on 127.0.0.1: unaligned, no notices, stops on an error.
psql_q() { # sql
  PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning" psql -h 127.0.0.1 -U "$PG_USER" -d "$PG_DB" -v ON_ERROR_STOP=1 -qAtc "$1"
}

# The gateway's resident memory: now and its peak (VmRSS, VmHWM of /proc/PID/status), in MiB.
gateway_rss() { # pid
  awk '/^VmRSS/ {now = $2} /^VmHWM/ {peak = $2} END {printf "RSS %.0f MiB now, %.0f MiB at peak", now / 1024, peak / 1024}' "/proc/$1/status"
}
