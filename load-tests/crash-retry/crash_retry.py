"""Driver of run.sh: in-call texts with Idempotency-Keys to replica A, SIGKILL of A part-way, retries on replica B.

  crash_retry.py URL_A URL_B ADMIN_KEY CALL_IDS GATEWAY_A_PID KILL_AFTER RETRY_SECONDS CONNECTIONS OUT

Each text has its own call (so a text stored twice shows as a call with two texts) and its own Idempotency-Key. Texts
go to A until KILL_AFTER of them are answered; then A gets SIGKILL. A text whose request to A got no answer (the
connection died with A), and every text not yet sent, goes to B, where its client retries for RETRY_SECONDS after the
kill (or after its first try, when that came later): 409 idempotency_key_in_progress (A's claim has not run out yet),
503 and no answer are retried every 0.25 s. Writes one line
per text to OUT (key, call, outcome, message_id) and prints a RESULT line.
"""
import http.client
import json
import os
import signal
import sys
import threading
import time
import urllib.parse

BODY = json.dumps({"template_id": "payment_link", "variables": {"business_name": "Acme", "payment_url": "https://pay.example/crash"}})
RETRY_PAUSE = 0.25


def post(url, key, call_id, idempotency_key, timeout):
    parsed = urllib.parse.urlparse(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=timeout)
    try:
        conn.request("POST", f"/v1/calls/{call_id}/sms", BODY, {
            "Authorization": "Bearer " + key, "Content-Type": "application/json", "Idempotency-Key": idempotency_key})
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def main(url_a, url_b, admin_key, call_ids_file, pid_a, kill_after, retry_seconds, connections, out):
    call_ids = [line.strip() for line in open(call_ids_file) if line.strip()]
    lock = threading.Lock()
    state = {"next": 0, "answered": 0, "killed_at": None, "waits": [], "in_progress": 0}
    results = {}

    def kill_if_due():
        with lock:
            due = state["killed_at"] is None and state["answered"] >= kill_after
            if due:
                state["killed_at"] = time.monotonic()
        if due:
            os.kill(pid_a, signal.SIGKILL)

    def send(call_id, idempotency_key):
        """Until answered: to A while it lives, then to B, for at most RETRY_SECONDS after the kill or the first try."""
        first_try = time.monotonic()
        while True:
            with lock:
                killed_at = state["killed_at"]
            if killed_at is not None and time.monotonic() - max(killed_at, first_try) > retry_seconds:
                return "gave_up", None
            url = url_a if killed_at is None else url_b
            try:
                status, text = post(url, admin_key, call_id, idempotency_key, 15)
            except (OSError, http.client.HTTPException):
                status, text = 0, ""  # no answer: A died under this request, or B is not reachable
            if 200 <= status < 300:
                if url == url_b:
                    with lock:
                        state["waits"].append(time.monotonic() - max(killed_at, first_try))
                return ("answered_by_a" if url == url_a else "answered_by_b"), json.loads(text)["message_id"]
            if status == 409 and "idempotency_key_in_progress" in text:
                with lock:
                    state["in_progress"] += 1
            elif status not in (0, 503):
                return f"refused_{status}", None
            if not (status == 0 and url == url_a):
                time.sleep(RETRY_PAUSE)

    def worker():
        while True:
            with lock:
                i = state["next"]
                if i >= len(call_ids):
                    return
                state["next"] = i + 1
            call_id = call_ids[i]
            idempotency_key = f"crash-{call_id}"
            outcome, message_id = send(call_id, idempotency_key)
            with lock:
                results[call_id] = (idempotency_key, outcome, message_id)
                state["answered"] += 1
            kill_if_due()

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with open(out, "w") as lines:
        for call_id, (idempotency_key, outcome, message_id) in results.items():
            lines.write(f"{idempotency_key} {call_id} {outcome} {message_id or '-'}\n")
    outcomes = {}
    for _, outcome, _ in results.values():
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    waits = sorted(state["waits"])
    print("RESULT texts=%d %s in_progress_409=%d longest_wait_on_b_s=%.1f" % (
        len(results), " ".join(f"{k}={v}" for k, v in sorted(outcomes.items())), state["in_progress"],
        waits[-1] if waits else 0.0))


if __name__ == "__main__":
    a = sys.argv[1:]
    main(a[0], a[1], a[2], a[3], int(a[4]), int(a[5]), float(a[6]), int(a[7]), a[8])
