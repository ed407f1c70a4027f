-- Copies a call's pool number into the call's hash, so later SMS of the call read call and pin in one command.
-- Only while the call exists: a late write must not recreate an ended call's hash (it would have no TTL).
-- KEYS[1] the call's hash; ARGV[1] the pinned pool number
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSETNX', KEYS[1], 'pool_number', ARGV[1])
end
return 1
