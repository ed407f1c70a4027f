#!/usr/bin/env python3
"""Sends signed Twilio inbound webhooks for the chats benchmark: COUNT texts, each from a new customer to one of the
agent numbers (so each opens a chat), from THREADS keep-alive connections, optionally paced to RATE texts/s.
Prints "RESULT sent=<n> ok=<200s> seconds=<s> rate=<texts/s>".
Usage: texts.py <url> <auth token> <account sid> <numbers file> <count> <threads> <rate, 0 = unpaced> <customer prefix, 3 digits>
"""
import base64
import hashlib
import hmac
import http.client
import sys
import threading
import time
import urllib.parse

url, token, account, numbers_file, count, threads, rate, prefix = sys.argv[1:9]
count, threads, rate = int(count), int(threads), float(rate)
numbers = open(numbers_file).read().split()
target = urllib.parse.urlparse(url)
lock = threading.Lock()
next_index = [0]
ok = [0]
start = time.monotonic()


def signed(index):
    sid = "SM%s%024x" % (prefix.zfill(8)[-8:], index)
    params = {"MessageSid": sid, "SmsMessageSid": sid, "SmsSid": sid, "AccountSid": account,
              "From": "+1%s55%05d" % (prefix, index % 100000), "To": numbers[index % len(numbers)],
              "Body": "Hi, can I move my appointment to Thursday? (%d)" % index, "NumMedia": "0", "NumSegments": "1",
              "SmsStatus": "received", "ApiVersion": "2010-04-01"}
    data = url + "".join(k + params[k] for k in sorted(params))
    signature = base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()
    return urllib.parse.urlencode(params), signature


def worker():
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
    while True:
        with lock:
            index = next_index[0]
            if index >= count:
                return
            next_index[0] += 1
        if rate > 0:
            delay = start + index / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        body, signature = signed(index)
        connection.request("POST", target.path, body, {"Content-Type": "application/x-www-form-urlencoded",
                                                       "X-Twilio-Signature": signature})
        response = connection.getresponse()
        response.read()
        if response.status == 200:
            with lock:
                ok[0] += 1


pool = [threading.Thread(target=worker) for _ in range(threads)]
for t in pool:
    t.start()
for t in pool:
    t.join()
seconds = time.monotonic() - start
print("RESULT sent=%d ok=%d seconds=%.2f rate=%.1f" % (count, ok[0], seconds, ok[0] / seconds))
