#!/usr/bin/env python3
"""Stand-in chat agent for the chats benchmark: answers every turn at once with one text, after checking the
gateway's X-Gateway-Signature (t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>).
Usage: agent.py <port> <secret>
"""
import hashlib
import hmac
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, SECRET = int(sys.argv[1]), sys.argv[2].encode()


class Agent(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        signature = self.headers.get("X-Gateway-Signature", "")
        try:
            t, v1 = signature.split(",", 1)
            expected = hmac.new(SECRET, t[2:].encode() + b"." + body, hashlib.sha256).hexdigest()
            ok = t.startswith("t=") and hmac.compare_digest(v1[3:], expected)
        except ValueError:
            ok = False
        if not ok:
            self.send_response(401)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        turn = json.loads(body)
        users = [m["content"] for m in turn["messages"] if m["role"] == "user"]
        reply = json.dumps({"responses": [{"content": "Got it: " + (users[-1] if users else "hello")[:60]}],
                            "end_chat": False}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", PORT), Agent).serve_forever()
