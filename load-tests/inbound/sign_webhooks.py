#!/usr/bin/env python3
"""Precomputes signed Twilio inbound-message webhooks for wrk: one unique MessageSid per request.

Writes <out>.template (the form body with {sid} where the MessageSid goes) and <out>.sids (one
"<MessageSid> <X-Twilio-Signature>" line per request). Signing here keeps wrk's Lua free of HMAC work.
Usage: sign_webhooks.py <url> <auth token> <account sid> <count> <sid prefix, 8 hex digits> <out>
"""
import base64
import hashlib
import hmac
import sys
import urllib.parse

url, token, account_sid, count, prefix, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6]
SID = "{sid}"
params = [
    ("ToCountry", "US"), ("ToState", "CA"), ("ToCity", "SAN FRANCISCO"), ("ToZip", "94105"),
    ("FromCountry", "US"), ("FromState", "CA"), ("FromCity", "OAKLAND"), ("FromZip", "94607"),
    ("SmsMessageSid", SID), ("SmsSid", SID), ("MessageSid", SID), ("AccountSid", account_sid),
    ("MessagingServiceSid", "MG00000000000000000000000000000000"),
    ("From", "+14155550100"), ("To", "+14155550199"),
    ("Body", "Hi, this is Sam. Can you move my appointment to Thursday at 3pm? Thanks!"),
    ("NumMedia", "0"), ("NumSegments", "1"), ("SmsStatus", "received"), ("ApiVersion", "2010-04-01"),
]

with open(out + ".template", "w") as template:
    template.write("&".join(
        urllib.parse.quote_plus(name) + "=" + (SID if value == SID else urllib.parse.quote_plus(value))
        for name, value in params))

with open(out + ".sids", "w") as sids:
    for n in range(count):
        sid = "SM" + prefix + format(n, "024x")
        signed = url + "".join(name + (sid if value == SID else value) for name, value in sorted(
            (name, sid if value == SID else value) for name, value in params))
        digest = hmac.new(token.encode(), signed.encode(), hashlib.sha1).digest()
        sids.write(sid + " " + base64.b64encode(digest).decode() + "\n")
