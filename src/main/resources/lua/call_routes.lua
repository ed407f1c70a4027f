-- Makes a registered call visible on its customer's side (hash tag {cust:<customer>}): its presence-and-pin key
-- and the route (agent number, customer) -> call. One tag, so it is atomic on Redis Cluster too.
-- A route held by an active call of ANOTHER workspace is never taken over (nor its call named): 'in_use'.
-- KEYS[1] the call's presence-and-pin key ('' until a pool number is pinned)
-- KEYS[2] the route of the call's agent number
-- ARGV[1] the call's key (<workspace>/<call id>); ARGV[2] the call's expiry (unix ms); ARGV[3] 'replace' to take
--         the route from another call of the workspace, 'keep' to take it only when free (a repeated registration
--         must not steal it back); ARGV[4] the workspace's key prefix (<workspace>/)
-- Returns {'in_use'} | {'ok', key of the workspace's call whose route was taken over, or ''}.
local current = redis.call('GET', KEYS[2])
if current and current ~= ARGV[1] and string.sub(current, 1, #ARGV[4]) ~= ARGV[4] then
  return {'in_use'}
end
redis.call('SET', KEYS[1], '', 'PXAT', ARGV[2], 'NX')
if current == ARGV[1] or (current and ARGV[3] ~= 'replace') then
  return {'ok', ''}
end
redis.call('SET', KEYS[2], ARGV[1], 'PXAT', ARGV[2])
return {'ok', current or ''}
