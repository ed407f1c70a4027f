-- Registers a call in its own hash (hash tag {call:<id>}) unless that id is already registered.
-- KEYS[1] the call's hash
-- ARGV[1] the call's expiry (unix ms); ARGV[2..] field, value pairs
-- Returns 1 when created, 0 when the id was already registered (the caller reads it to compare).
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('PEXPIREAT', KEYS[1], ARGV[1])
return 1
