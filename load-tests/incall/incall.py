"""Helpers of run.sh: register the pool and calls; snapshot Redis command counters and gateway metrics; report them.

  incall.py register URL ADMIN_KEY RUN_ID CALLS POOL OUT   -> pool numbers and CALLS calls (ids written to OUT)
  incall.py snapshot URL REDIS_HOST REDIS_PORT OUT          -> JSON of cmdstat calls and gateway counters
  incall.py report BEFORE AFTER IDLE_BEFORE IDLE_AFTER DURATION IDLE_SECONDS SMS FIRST_SMS
  incall.py round-trips MONITOR_LOG KEY_PREFIX SMS FIRST_SMS  -> the commands the gateway sent, by purpose
"""
import glob
import hashlib
import http.client
import os
import json
import re
import subprocess
import sys
import urllib.parse

# Gateway counters (Prometheus names) that attribute Redis commands to pipeline steps.
COUNTERS = {
    "limiter_checks": r'^gateway_ratelimit_latency_seconds_count\S* (\S+)',
    "carrier_from_redis": r'^gateway_carrier_lookups_total\{[^}]*source="redis"[^}]*\} (\S+)',
    "carrier_from_postgres": r'^gateway_carrier_lookups_total\{[^}]*source="postgres"[^}]*\} (\S+)',
    "carrier_from_twilio": r'^gateway_carrier_lookups_total\{[^}]*source="twilio"[^}]*\} (\S+)',
    "sent_from_pool": r'^gateway_calls_sms_sent_total\{[^}]*sender="pool"[^}]*\} (\S+)',
    "pool_exhausted": r'^gateway_calls_pool_exhausted_total\S* (\S+)',
}


def connection(url):
    parsed = urllib.parse.urlparse(url)
    return http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)


def post(conn, path, key, body, expected):
    conn.request("POST", path, json.dumps(body), {"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    response = conn.getresponse()
    text = response.read().decode()
    if response.status not in expected:
        sys.exit(f"POST {path} answered {response.status}: {text}")


def register(url, key, run_id, calls, pool, out):
    conn = connection(url)
    for i in range(pool):
        post(conn, "/v1/pool-numbers", key, {"phone_number": f"+1415555{i:04d}"}, (201, 409))
    with open(out, "w") as ids:
        for i in range(calls):
            call_id = f"bench-{run_id}-{i}"
            # Agent numbers are not registered SMS numbers, so every call texts from the pool.
            post(conn, "/v1/calls", key, {"call_id": call_id, "workspace_id": "ws_bench", "agent_id": f"agent_{i % 50}",
                                          "agent_number": f"+1650555{i % 10000:04d}", "customer_number": f"+1628{i // 10000 + 555}{i % 10000:04d}"}, (201,))
            ids.write(call_id + "\n")


def postgres_counters():
    """Transactions of the whole database (reads included) and row writes of the hot tables, from pg_stat_*."""
    db, user, schema = os.environ.get("PG_DB", "test"), os.environ.get("PG_USER", "postgres"), os.environ.get("SCHEMA", "")
    query = ("SELECT 'xact_commit', xact_commit FROM pg_stat_database WHERE datname = current_database() "
             "UNION ALL SELECT relname || '.' || k, v FROM pg_stat_user_tables, "
             "LATERAL (VALUES ('ins', n_tup_ins), ('upd', n_tup_upd), ('hot_upd', n_tup_hot_upd), ('del', n_tup_del)) AS t(k, v) "
             f"WHERE schemaname = '{schema}'")
    # the statistics collector reports a backend's counts when its transaction ends, at most every ~0.5 s
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", user, "-d", db, "-qAtc", "SELECT pg_stat_force_next_flush()"],
                   capture_output=True)
    rows = subprocess.run(["psql", "-h", "127.0.0.1", "-U", user, "-d", db, "-qAtc", query],
                          check=True, capture_output=True, text=True).stdout
    return {k: int(v) for k, v in (line.split("|") for line in rows.split())}


def snapshot(metrics_url, redis_host, redis_ports, out):
    """redis_ports: one port, or the comma-separated ports of every Cluster master (their counts are summed)."""
    commands = {}
    for redis_port in redis_ports.split(","):
        info = subprocess.run(["redis-cli", "-h", redis_host, "-p", redis_port, "info", "commandstats"],
                              check=True, capture_output=True, text=True).stdout
        for m in re.finditer(r"^cmdstat_(\S+?):calls=(\d+)", info, re.M):
            commands[m.group(1).upper()] = commands.get(m.group(1).upper(), 0) + int(m.group(2))
    conn = connection(metrics_url)  # the management port: /metrics is not on the public one
    conn.request("GET", "/metrics")
    metrics = conn.getresponse().read().decode()
    counters = {}
    for name, pattern in COUNTERS.items():
        counters[name] = sum(float(v) for v in re.findall(pattern, metrics, re.M))
    with open(out, "w") as f:
        json.dump({"commands": commands, "counters": counters, "postgres": postgres_counters()}, f)


def report(before, after, idle_before, idle_after, duration, idle_seconds, sms, first_sms):
    load = lambda path: json.load(open(path))
    b, a, ib, ia = load(before), load(after), load(idle_before), load(idle_after)
    duration, idle_seconds, sms, first_sms = float(duration), float(idle_seconds), int(sms), int(first_sms)
    delta = lambda x, y, k: y["commands"].get(k, 0) - x["commands"].get(k, 0)
    names = sorted(set(a["commands"]) | set(b["commands"]))
    # Other clients of the shared Redis (and this gateway's own timers) keep running: their rate, measured while
    # this gateway was idle, is subtracted in proportion to the measured run's duration.
    background = {k: delta(ib, ia, k) * duration / idle_seconds for k in names}
    ignored = {"INFO", "CLIENT|LIST", "CLIENT", "PING"}
    print(f"   Redis commands during the run, minus background ({idle_seconds:.0f} s idle window, scaled):")
    total = 0.0
    for k in names:
        d = delta(b, a, k)
        if d == 0 or k in ignored:
            continue
        net = d - background[k]
        total += net
        print(f"     {k:<22} {d:>9}  background ~{background[k]:>8.0f}  net {net:>9.0f}  = {net / sms:.3f} per SMS")
    c = {k: a["counters"][k] - b["counters"][k] for k in a["counters"]}
    print(f"   SMS stored: {sms} ({first_sms} first SMS of a call, {sms - first_sms} later); Redis commands executed per SMS:"
          f" {total / sms:.2f} (commands run inside Lua scripts count here too)")
    print("   gateway counters: " + ", ".join(f"{k}={v:.0f}" for k, v in c.items()))
    pg = lambda snap, k: snap.get("postgres", {}).get(k, 0)
    pg_delta = {k: pg(a, k) - pg(b, k) - (pg(ia, k) - pg(ib, k)) * duration / idle_seconds for k in a.get("postgres", {})}
    print(f"   PostgreSQL transactions per SMS (pg_stat_database.xact_commit, reads included, idle rate subtracted):"
          f" {pg_delta.get('xact_commit', 0) / sms:.2f}")
    writes = {k: v for k, v in sorted(pg_delta.items()) if k != "xact_commit" and v >= sms * 0.01}
    print("   row writes per SMS: " + ", ".join(f"{k}={v / sms:.2f}" for k, v in writes.items()))


def round_trips(monitor_log, prefix, sms, first_sms):
    """Commands this gateway sent (MONITOR lines from a client, not '[0 lua]'), by what they are for."""
    scripts = {}
    for path in glob.glob("src/main/resources/lua/*.lua"):
        with open(path, "rb") as f:
            scripts[hashlib.sha1(f.read()).hexdigest()] = os.path.basename(path)[:-4]
    purpose = {"pool_pin": "pin", "call_cache_pin": "pin", "segment_limit": "rate limit"}
    counts = {}
    line_pattern = re.compile(r'^\S+ \[\d+ (\S+)\] "([^"]+)"(?: "([^"]*)")?')
    with open(monitor_log, errors="replace") as log:
        for line in log:
            m = line_pattern.match(line)
            if not m or m.group(1) == "lua" or prefix not in line:
                continue
            command, first_arg = m.group(2).upper(), m.group(3) or ""
            if command in ("EVALSHA", "EVAL"):
                name = scripts.get(first_arg, "script?")
                what = (purpose.get(name, "other"), f"{command} {name}")
            elif command == "HMGET":
                what = ("call lookup (and its pin)", "HMGET call")
            elif command == "ZADD":
                what = ("pin", "ZADD pins-in-use gauge set")
            elif ":carrier:" in first_arg:
                what = ("rate limit: carrier", f"{command} carrier cache")
            else:
                what = ("other", command)
            counts[what] = counts.get(what, 0) + 1
    sms, first_sms = int(sms), int(first_sms)
    total = sum(counts.values())
    print(f"   round trips (commands this gateway sent, from MONITOR): {total / sms:.2f} per SMS over {sms} SMS"
          f" ({first_sms} first SMS of a call)")
    for (group, command), n in sorted(counts.items()):
        print(f"     {group:<26} {command:<34} {n:>6}  = {n / sms:.3f} per SMS")


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    {"register": lambda: register(args[0], args[1], args[2], int(args[3]), int(args[4]), args[5]),
     "snapshot": lambda: snapshot(*args),
     "report": lambda: report(*args),
     "round-trips": lambda: round_trips(*args)}[command]()
