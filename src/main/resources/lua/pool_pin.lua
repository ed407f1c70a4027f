-- Returns the pool number pinned to a call, pinning one at the call's first pool SMS. Every key is under the
-- customer's hash tag {cust:<customer>}, so concurrent first SMS of one call (from any replica) serialise here
-- and end on one number, and a number is never chosen that is
--   * routed to another active call of the same customer (a reply from the customer must route to exactly one call), or
--   * the last to have texted this customer for ANOTHER workspace within the reuse cooldown (a late reply to that
--     workspace's text must never land in this workspace's call).
-- KEYS[1] the call's presence-and-pin key ('' while unpinned; missing once the call ended or expired)
-- KEYS[2i], KEYS[2i+1] (i = 1..) the route and the last call of candidate i, in the caller's (random) order
-- ARGV[1] the call's key; ARGV[2] the call's expiry (unix ms); ARGV[3] the workspace's key prefix (<workspace>/);
-- ARGV[4] until when the last-call record lasts at most (the call's expiry plus the cooldown, unix ms);
-- ARGV[4 + i] candidate i's number
-- Returns {'pinned', number} | {'new', number} | {'ended'} | {'exhausted', candidates held back by the cooldown}.
local pin = redis.call('GET', KEYS[1])
if not pin then
  return {'ended'}
end
if pin ~= '' then
  return {'pinned', pin}
end
local cooling = 0
for i = 1, (#KEYS - 1) / 2 do
  local route = KEYS[2 * i]
  local last_key = KEYS[2 * i + 1]
  if redis.call('EXISTS', route) == 0 then
    local last = redis.call('GET', last_key)
    if last and string.sub(last, 1, #ARGV[3]) ~= ARGV[3] then
      cooling = cooling + 1
    else
      local number = ARGV[4 + i]
      redis.call('SET', KEYS[1], number, 'KEEPTTL')
      redis.call('SET', route, ARGV[1], 'PXAT', ARGV[2])
      redis.call('SET', last_key, ARGV[1], 'PXAT', ARGV[4])
      return {'new', number}
    end
  end
end
return {'exhausted', cooling}
