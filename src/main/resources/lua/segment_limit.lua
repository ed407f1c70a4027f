-- Check and charge one brand's segment budgets in one atomic step, so concurrent replicas never overshoot.
-- Either every budget is charged or, if any is short, none is.
--
-- The recipient's carrier decides whether the T-Mobile budget is charged. It is cached under the brand's hash tag
-- (KEYS[4]) so that this script can read it itself: a charge to a known recipient is one round trip. When the
-- caller passes no carrier and the cache has none, the budgets that do not depend on the carrier (daily total,
-- the workspace's pool share, per second) are checked first: a text they refuse is refused without a carrier (no
-- paid lookup for a brand over budget). Otherwise nothing is charged and the caller is asked for the carrier; it
-- charges again passing it (every budget is checked again then), and the script caches it for the next charge.
--
-- A shared brand (the platform's pool) also charges the sending workspace's daily share of it (KEYS[5], under the
-- brand's hash tag), so one tenant cannot spend the pool brand's budget for every other.
--
-- KEYS[1] used segments in the current second
-- KEYS[2] used segments today, all US traffic
-- KEYS[3] used segments today to T-Mobile (read for the answer, charged only for a T-Mobile recipient)
-- KEYS[4] the recipient's cached carrier: 'tmobile', 'other'
-- KEYS[5] (optional) used segments today of the sending workspace's share of this brand
-- ARGV[1] segments to charge            ARGV[2] per-second limit
-- ARGV[3] daily total limit             ARGV[4] daily T-Mobile limit
-- ARGV[5] TTL of the second key, ARGV[6] of the day keys, ARGV[7] of the carrier key (seconds)
-- ARGV[8] the recipient's carrier ('tmobile', 'other', 'unknown'), or '' to use the cached one
-- ARGV[9] (with KEYS[5]) the workspace's daily share limit
--
-- Returns {'charged' | 'rejected', rejected limit or '', used this second, used today, used today to T-Mobile,
-- carrier charged for ('' when refused before it was known), used today of the workspace share}, or
-- {'carrier_needed'} when ARGV[8] is '' and the carrier is not cached (and no carrier-free budget refused).
local segments = tonumber(ARGV[1])
local per_second_limit = tonumber(ARGV[2])
local daily_total_limit = tonumber(ARGV[3])
local daily_tmobile_limit = tonumber(ARGV[4])
local has_share = #KEYS >= 5

-- One read of every key (they share the brand's hash slot): each redis.call is a round trip into the server.
local stored = redis.call('MGET', unpack(KEYS))
local second_used = tonumber(stored[1] or '0')
local total_used = tonumber(stored[2] or '0')
local tmobile_used = tonumber(stored[3] or '0')
local cached_carrier = stored[4]
local share_used = 0
if has_share then
  share_used = tonumber(stored[5] or '0')
end

-- Daily limits before the per-second one: when the day's budget is gone, "retry next second" would send the client
-- back for nothing. A message larger than the whole per-second budget may still go alone in an otherwise empty second.
-- Without a carrier (charge_tmobile false) only the budgets every text is charged to are checked.
local function rejection(charge_tmobile)
  if has_share and share_used + segments > tonumber(ARGV[9]) then
    return 'workspace_pool_daily'
  elseif total_used + segments > daily_total_limit then
    return 'daily_total'
  elseif charge_tmobile and tmobile_used + segments > daily_tmobile_limit then
    return 'daily_tmobile'
  elseif second_used > 0 and second_used + segments > per_second_limit then
    return 'per_second'
  end
  return nil
end

local carrier = ARGV[8]
if carrier == '' then
  carrier = cached_carrier
  if not carrier then
    local refused = rejection(false)
    if refused then
      return {'rejected', refused, second_used, total_used, tmobile_used, '', share_used}
    end
    return {'carrier_needed'}
  end
elseif carrier ~= 'unknown' then
  -- An unknown carrier (the lookup failed) is not cached: the next text to this recipient looks it up again.
  redis.call('SET', KEYS[4], carrier, 'EX', ARGV[7])
end

local charge_tmobile = carrier == 'tmobile'
local rejected = rejection(charge_tmobile)
if rejected then
  return {'rejected', rejected, second_used, total_used, tmobile_used, carrier, share_used}
end

-- A budget key gets its TTL when this charge created it (nothing else creates one): later charges leave it be.
local function charge(key, ttl)
  local used = redis.call('INCRBY', key, segments)
  if used == segments then
    redis.call('EXPIRE', key, ttl)
  end
  return used
end

second_used = charge(KEYS[1], ARGV[5])
total_used = charge(KEYS[2], ARGV[6])
if charge_tmobile then
  tmobile_used = charge(KEYS[3], ARGV[6])
end
if has_share then
  share_used = charge(KEYS[5], ARGV[6])
end
return {'charged', '', second_used, total_used, tmobile_used, carrier, share_used}
