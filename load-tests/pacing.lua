-- Pacing for the wrk scripts: load it with
--   package.path = "load-tests/?.lua;" .. package.path
--   local pacing = require("pacing")
-- and answer wrk's delay() with pacing.every(1000 * threads / rate) (or pacing.unpaced()). One request per interval
-- for the whole wrk thread; a late one is sent at once, catching up at most a second's backlog.
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

local pacing = {}

function pacing.unpaced()
  return function()
    return 0
  end
end

function pacing.every(interval_ms)
  local next_send_ms = nil
  return function()
    local now = now_ms()
    next_send_ms = math.max(next_send_ms or now, now - 1000) + interval_ms
    return math.max(0, math.floor(next_send_ms - now))
  end
end

return pacing
