-- Returns the pool number pinned to a call, pinning one at the call's first pool SMS. Every key is under the
-- customer's hash tag {cust:<customer>}, so concurrent first SMS of one call (from any replica) serialise here
-- and end on one number, and a number already routed to another call of the same customer is never chosen:
-- a reply from the customer to a pool number routes to exactly one call.
-- KEYS[1] the call's presence-and-pin key ('' while unpinned; missing once the call ended or expired)
-- KEYS[2..] the routes (candidate pool number, customer), in the caller's (random) order of preference
-- ARGV[1] call id; ARGV[2] the call's expiry (unix ms); ARGV[3..] the candidate numbers, in KEYS[2..]'s order
-- Returns {'pinned', number} | {'new', number} | {'ended'} | {'exhausted'}.
local pin = redis.call('GET', KEYS[1])
if not pin then
  return {'ended'}
end
if pin ~= '' then
  return {'pinned', pin}
end
for i = 2, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 0 then
    local number = ARGV[i + 1]
    redis.call('SET', KEYS[1], number, 'KEEPTTL')
    redis.call('SET', KEYS[i], ARGV[1], 'PXAT', ARGV[2])
    return {'new', number}
  end
end
return {'exhausted'}
