-- Ends a call on its customer's side (hash tag {cust:<customer>}): removes its presence-and-pin key, which
-- releases the pinned pool number, and the routes that still lead to it (a newer call may have taken the agent
-- number's route). No pin can be made after this, since pinning needs the presence key. The pool number's last
-- call stays this call for the reuse cooldown from now, so a late reply still finds it and no other workspace pins
-- the number for this customer meanwhile.
-- KEYS[1] the call's presence-and-pin key
-- KEYS[2] the route of the agent number; KEYS[3], KEYS[4] (optional) the route and the last call of the pool
--         number the caller expects pinned
-- ARGV[1] the call's key; ARGV[2] the pool number the caller expects pinned, '' for none; ARGV[3] cooldown (ms)
-- Returns {1} when done, {0, actual pin} when the expectation was wrong (the caller retries with those keys).
local pin = redis.call('GET', KEYS[1]) or ''
if pin ~= ARGV[2] then
  return {0, pin}
end
for i = 2, math.min(#KEYS, 3) do
  if redis.call('GET', KEYS[i]) == ARGV[1] then
    redis.call('DEL', KEYS[i])
  end
end
if KEYS[4] and redis.call('GET', KEYS[4]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[4], ARGV[3])
end
redis.call('DEL', KEYS[1])
return {1}
