-- Token bucket: take ARGV[3] tokens from the bucket at KEYS[1] (a hash: tokens, ts), refilled at ARGV[1] tokens per
-- second up to ARGV[2]. The server's clock (TIME) is the one clock, so replicas with skewed clocks share a bucket.
--
-- KEYS[1] the bucket (one key, under its own hash tag)
-- ARGV[1] refill rate, tokens per second; ARGV[2] burst (capacity); ARGV[3] tokens to take
-- Returns {1, 0} when taken, else {0, milliseconds until enough tokens are back}.
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(bucket[1])
local ts = tonumber(bucket[2])
if tokens == nil or ts == nil then
  tokens = burst
  ts = now
end
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate / 1000)
local taken = 0
local wait = 0
if tokens >= cost then
  tokens = tokens - cost
  taken = 1
else
  wait = math.ceil((cost - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
-- A full bucket needs no key: it expires once it would have refilled.
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return {taken, wait}
