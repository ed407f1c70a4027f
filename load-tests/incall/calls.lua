-- wrk script: POST /v1/calls/{call_id}/sms (a pool template) to a call chosen at random from CALL_IDS, one id per
-- line. Random choice spreads the load over many calls: each call's first SMS pins a pool number, the rest reuse it.
-- Environment: CALL_IDS (file), ADMIN_KEY, RATE (requests/s of the whole run, one wrk thread; 0 or unset: as fast
-- as the connections go).
package.path = "load-tests/?.lua;" .. package.path
local pacing = require("pacing")

local pace = pacing.unpaced()
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
    pace = pacing.every(1000 / rate)
  end
end

function delay()
  return pace()
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
