-- wrk script: POST /v1/calls/{call_id}/sms (a pool template) to a call chosen at random from CALL_IDS, one id per
-- line. Random choice spreads the load over many calls: each call's first SMS pins a pool number, the rest reuse it.
-- Environment: CALL_IDS (file), ADMIN_KEY, RATE (requests/s of the whole run, one wrk thread; 0 or unset: as fast
-- as the connections go).
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock, bench_timespec *now);
]]

local function now_ms()
  local now = ffi.new("bench_timespec")
  ffi.C.clock_gettime(1, now) -- CLOCK_MONOTONIC
  return tonumber(now.tv_sec) * 1000 + tonumber(now.tv_nsec) / 1e6
end

local interval_ms, next_send_ms = nil, nil
local call_ids = {}
local headers = {}
local body = '{"template_id":"payment_link","variables":{"business_name":"Acme","payment_url":"https://pay.example/bench"}}'

function init(args)
  for line in io.lines(os.getenv("CALL_IDS")) do
    table.insert(call_ids, line)
  end
  headers["Authorization"] = "Bearer " .. os.getenv("ADMIN_KEY")
  headers["Content-Type"] = "application/json"
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16))
  local rate = tonumber(os.getenv("RATE") or "0")
  if rate > 0 then
    interval_ms = 1000 / rate
  end
end

-- Paced: one request every interval of the whole run (a late one is sent at once, at most a second's backlog).
function delay()
  if interval_ms == nil then
    return 0
  end
  local now = now_ms()
  next_send_ms = math.max(next_send_ms or now, now - 1000) + interval_ms
  return math.max(0, math.floor(next_send_ms - now))
end

function request()
  return wrk.format("POST", "/v1/calls/" .. call_ids[math.random(#call_ids)] .. "/sms", headers, body)
end

function done(summary, latency, requests)
  local socket_errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT requests=%d non2xx=%d socket_errors=%d rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    summary.requests, summary.errors.status, socket_errors, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
