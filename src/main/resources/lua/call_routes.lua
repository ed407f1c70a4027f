-- Makes a registered call visible on its customer's side (hash tag {cust:<customer>}): its presence-and-pin key
-- and the route (agent number, customer) -> call id. One tag, so it is atomic on Redis Cluster too.
-- KEYS[1] the call's presence-and-pin key ('' until a pool number is pinned)
-- KEYS[2] the route of the call's agent number
-- ARGV[1] call id; ARGV[2] the call's expiry (unix ms); ARGV[3] 'replace' to take the route from another
--         call, 'keep' to take it only when free (a repeated registration must not steal it back)
-- Returns the id of the call whose route was taken over, or nil.
redis.call('SET', KEYS[1], '', 'PXAT', ARGV[2], 'NX')
local current = redis.call('GET', KEYS[2])
if current == ARGV[1] or (current and ARGV[3] ~= 'replace') then
  return nil
end
redis.call('SET', KEYS[2], ARGV[1], 'PXAT', ARGV[2])
return current
