-- Check and charge one brand's segment budgets in one atomic step, so concurrent replicas never overshoot.
-- Either every budget is charged or, if any is short, none is.
--
-- KEYS[1] used segments in the current second
-- KEYS[2] used segments today, all US traffic
-- KEYS[3] used segments today to T-Mobile (read for the answer, charged only when ARGV[5] is '1')
-- ARGV[1] segments to charge            ARGV[2] per-second limit
-- ARGV[3] daily total limit             ARGV[4] daily T-Mobile limit
-- ARGV[5] '1' to charge T-Mobile        ARGV[6] TTL of the second key, ARGV[7] of the day keys (seconds)
--
-- Returns {allowed 1|0, rejected limit or '', used this second, used today, used today to T-Mobile}.
local segments = tonumber(ARGV[1])
local per_second_limit = tonumber(ARGV[2])
local daily_total_limit = tonumber(ARGV[3])
local daily_tmobile_limit = tonumber(ARGV[4])
local charge_tmobile = ARGV[5] == '1'

local second_used = tonumber(redis.call('GET', KEYS[1]) or '0')
local total_used = tonumber(redis.call('GET', KEYS[2]) or '0')
local tmobile_used = tonumber(redis.call('GET', KEYS[3]) or '0')

-- Daily limits first: when the day's budget is gone, "retry next second" would send the client back for nothing.
-- A message larger than the whole per-second budget may still go alone in an otherwise empty second.
local rejected
if total_used + segments > daily_total_limit then
  rejected = 'daily_total'
elseif charge_tmobile and tmobile_used + segments > daily_tmobile_limit then
  rejected = 'daily_tmobile'
elseif second_used > 0 and second_used + segments > per_second_limit then
  rejected = 'per_second'
end
if rejected then
  return {0, rejected, second_used, total_used, tmobile_used}
end

second_used = redis.call('INCRBY', KEYS[1], segments)
redis.call('EXPIRE', KEYS[1], ARGV[6])
total_used = redis.call('INCRBY', KEYS[2], segments)
redis.call('EXPIRE', KEYS[2], ARGV[7])
if charge_tmobile then
  tmobile_used = redis.call('INCRBY', KEYS[3], segments)
  redis.call('EXPIRE', KEYS[3], ARGV[7])
end
return {1, '', second_used, total_used, tmobile_used}
