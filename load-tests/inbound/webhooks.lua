-- wrk script: POSTs the precomputed signed inbound webhooks (sign_webhooks.py), each MessageSid once.
-- Environment: WEBHOOKS (path prefix of the .template and .sids files), THREADS (wrk -t), RATE (requests/s of
-- the whole run, paced per thread; 0 or unset: as fast as the connections go).
package.path = "load-tests/?.lua;" .. package.path
local pacing = require("pacing")

local next_thread_id = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", next_thread_id)
  next_thread_id = next_thread_id + 1
  table.insert(threads, thread)
end

local sids, signatures, parts = {}, {}, {}
local index, reused = 0, 0
local pace = pacing.unpaced()

function init(args)
  local prefix = os.getenv("WEBHOOKS")
  local thread_count = tonumber(os.getenv("THREADS") or "1")
  local template = io.open(prefix .. ".template"):read("*a")
  for part in (template .. "{sid}"):gmatch("(.-){sid}") do
    table.insert(parts, part)
  end
  local line_number = 0
  for line in io.lines(prefix .. ".sids") do
    if line_number % thread_count == thread_id then
      local sid, signature = line:match("(%S+) (%S+)")
      table.insert(sids, sid)
      table.insert(signatures, signature)
    end
    line_number = line_number + 1
  end
  local rate = tonumber(os.getenv("RATE") or "0")
  if rate > 0 then
    pace = pacing.every(1000 * thread_count / rate)
  end
end

function delay()
  return pace()
end

function request()
  index = index + 1
  if index > #sids then
    index, reused = 1, reused + 1
    wrk.thread:set("reused", reused)
  end
  local sid = sids[index]
  local body = table.concat({parts[1], sid, parts[2], sid, parts[3], sid, parts[4]})
  return wrk.format("POST", "/twilio/messages", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Twilio-Signature"] = signatures[index],
  }, body)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local socket_errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  for _, thread in ipairs(threads) do
    if (thread:get("reused") or 0) > 0 then
      io.write("WARNING: the precomputed MessageSids ran out and were reused (duplicates measured)\n")
    end
  end
  io.write(string.format("RESULT requests=%d non2xx=%d socket_errors=%d rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    summary.requests, summary.errors.status, socket_errors, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
