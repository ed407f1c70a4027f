-- Records that a workspace has an active call of this id (hash tag {callid:<id>}), so the id alone finds it while
-- only one workspace uses it. Entries past their call's expiry are dropped; the set lives as long as its last call.
-- KEYS[1] the id's workspaces (sorted set, scored by each call's expiry in unix ms)
-- ARGV[1] 'add' or 'remove'; ARGV[2] workspace id; ARGV[3] the call's expiry (unix ms, 'add'); ARGV[4] now (unix ms)
if ARGV[1] == 'add' then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[2])
else
  redis.call('ZREM', KEYS[1], ARGV[2])
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[4])
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if last[2] then
  redis.call('PEXPIREAT', KEYS[1], last[2])
end
return 1
