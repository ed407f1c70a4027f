"""Helpers of run.sh: a slow Twilio in front of the sandbox, the two workspaces, A's flood, B's probe.

  fairness.py twilio PORT UPSTREAM LATENCY_MS        -> forwards to UPSTREAM, answering each request LATENCY_MS later
  fairness.py setup URL ADMIN_KEY OUT                -> keys and numbers of workspaces A and B (written to OUT as JSON)
  fairness.py flood URL SETUP COUNT THREADS          -> COUNT texts of A through POST /v1/messages
  fairness.py probe URL SETUP MAX_WAIT               -> one text of B, polled until Twilio accepted it (at most
                                                        MAX_WAIT s); prints its id and the submit time (epoch s)
"""
import http.client
import http.server
import json
import socketserver
import sys
import threading
import time
import urllib.parse


def connection(url):
    parsed = urllib.parse.urlparse(url)
    return http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)


def call(conn, method, path, key, body, expected):
    conn.request(method, path, json.dumps(body) if body is not None else None,
                 {"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    response = conn.getresponse()
    text = response.read().decode()
    if response.status not in expected:
        sys.exit(f"{method} {path} answered {response.status}: {text}")
    return json.loads(text) if text else {}


# A's texts go to this many customers: the limiter looks each one's carrier up (through the slow Twilio) once.
RECIPIENTS = 100


def twilio(port, upstream, latency_ms):
    """Twilio's API answers a send in ~100-300 ms; the sandbox in microseconds. This stand-in for the network makes
    sending slower than queueing, so a backlog builds up as it would in front of the real Twilio."""
    target = urllib.parse.urlparse(upstream)
    local = threading.local()
    delay = int(latency_ms) / 1000.0

    class Forward(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def forward(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            started = time.monotonic()
            if getattr(local, "conn", None) is None:
                local.conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
            try:
                local.conn.request(self.command, self.path, body, headers)
                response = local.conn.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException):
                local.conn = None
                raise
            time.sleep(max(0.0, delay - (time.monotonic() - started)))
            self.send_response(response.status)
            for k, v in response.getheaders():
                if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_DELETE = forward

    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True
        request_queue_size = 256

    Server(("127.0.0.1", int(port)), Forward).serve_forever()


def setup(url, admin_key, out):
    conn = connection(url)
    workspaces = {}
    for name, number in (("a", "+14155559001"), ("b", "+14155559002")):
        workspace_id = f"ws_fair_{name}"
        key = call(conn, "POST", "/v1/api-keys", admin_key, {"role": "workspace", "workspace_id": workspace_id}, (201,))["key"]
        call(conn, "PUT", f"/v1/sms-numbers/{number}", admin_key, {"type": "platform", "workspace_id": workspace_id,
             "agent_id": "agent_fair", "sms_status": "enabled"}, (200, 201))
        workspaces[name] = {"workspace_id": workspace_id, "key": key, "from": number}
    with open(out, "w") as f:
        json.dump(workspaces, f)


def flood(url, setup_file, count, threads):
    a = json.load(open(setup_file))["a"]
    count, threads = int(count), int(threads)
    next_index = iter(range(count))
    lock = threading.Lock()
    refused = []

    def worker():
        conn = connection(url)
        while True:
            with lock:
                i = next(next_index, None)
            if i is None:
                return
            body = {"from_number": a["from"], "to_number": f"+1628555{i % RECIPIENTS:04d}", "body": f"Bulk text {i} of workspace A"}
            conn.request("POST", "/v1/messages", json.dumps(body), {"Authorization": "Bearer " + a["key"], "Content-Type": "application/json"})
            response = conn.getresponse()
            text = response.read().decode()
            if response.status != 202:
                with lock:
                    refused.append(f"{response.status} {text}")

    started = time.monotonic()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.monotonic() - started
    print(f"   A queued {count - len(refused)} texts in {elapsed:.1f} s ({(count - len(refused)) / elapsed:.0f}/s, {threads} clients)"
          + (f"; {len(refused)} refused, the first: {refused[0]}" if refused else ""))
    if refused:
        sys.exit(1)


def probe(url, setup_file, max_wait):
    """B texts one of A's customers, whose carrier the limiter already knows: no lookup delays B's submit."""
    b = json.load(open(setup_file))["b"]
    conn = connection(url)
    submitted = time.time()
    message_id = call(conn, "POST", "/v1/messages", b["key"],
                      {"from_number": b["from"], "to_number": "+16285550000", "body": "B's text behind A's bulk"}, (202,))["message_id"]
    deadline = submitted + float(max_wait)
    while call(conn, "GET", f"/v1/messages/{message_id}", b["key"], None, (200,))["twilio_sid"] is None:
        if time.time() > deadline:
            print(f"   B's text {message_id} had no Twilio sid {max_wait} s after it was submitted", file=sys.stderr)
            break
        time.sleep(0.005)
    print(message_id, f"{submitted:.6f}")


if __name__ == "__main__":
    {"twilio": twilio, "setup": setup, "flood": flood, "probe": probe}[sys.argv[1]](*sys.argv[2:])
