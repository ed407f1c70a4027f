-- Ends a call on its customer's side (hash tag {cust:<customer>}): removes its presence-and-pin key, which
-- releases the pinned pool number, and the routes that still lead to it (a newer call may have taken the agent
-- number's route). No pin can be made after this, since pinning needs the presence key.
-- KEYS[1] the call's presence-and-pin key
-- KEYS[2] the route of the agent number; KEYS[3] (optional) the route of the pool number the caller expects pinned
-- ARGV[1] call id; ARGV[2] the pool number the caller expects pinned, '' for none
-- Returns {1} when done, {0, actual pin} when the expectation was wrong (the caller retries with that route).
local pin = redis.call('GET', KEYS[1]) or ''
if pin ~= ARGV[2] then
  return {0, pin}
end
for i = 2, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then
    redis.call('DEL', KEYS[i])
  end
end
redis.call('DEL', KEYS[1])
return {1}
