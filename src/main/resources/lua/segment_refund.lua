-- Give segments back to daily budgets (a send that Twilio refused before accepting it).
-- Never below zero, and a key that has already expired is not brought back.
--
-- KEYS    the day keys to refund (all of one brand, one hash slot)
-- ARGV[1] segments to give back
local segments = tonumber(ARGV[1])
for _, key in ipairs(KEYS) do
  local used = tonumber(redis.call('GET', key))
  if used then
    redis.call('SET', key, math.max(0, used - segments), 'KEEPTTL')
  end
end
return 0
