#!lua flags=allow-oom
-- Moves or creates the counters of ONE stripe of a cluster namespace (one slot: ClusterGenerationStore
-- sends one call per stripe, so Redis Cluster routes it, and redirects it during a migration, like
-- a single key). allow-oom: bumps must go through at maxmemory; they write only small counters.
-- KEYS[1] the stripe's clock; KEYS[2..] counters of the stripe.
-- ARGV[1] 'bump'   ARGV[2] = N: KEYS[2..1+N] are write epochs (created when absent), the rest
--                  dependency tags (moved when present: an absent tag needs no move);
--                  returns {moved, clock}
--         'create' creates the absent counters; returns {clock, value...}
-- The clock orders every write of the stripe: a write ticks it to the larger of clock + 1 and the
-- server time (TIME, us) and values what it writes at least at the tick, and the clock is then
-- at least every value in the stripe. So a counter written after a reading of the clock holds
-- more than that reading (the store's proof, stamp.lua). A clock or counter created again starts
-- from the server time, above every value a predecessor showed (ClusterGenerationStore).
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local function text(number) return string.format('%.0f', number) end
local stored = redis.call('GET', KEYS[1])
local clock = tonumber(stored or '0')
local tick = math.max(clock + 1, now)
local top = nil
local function write(key, current, keepTtl)
  local value = tick
  if current then value = math.max(tonumber(current) + 1, tick) end
  if keepTtl then
    redis.call('SET', key, text(value), 'KEEPTTL')
  else
    redis.call('SET', key, text(value))
  end
  if not top or value > top then top = value end
  return value
end
local function settle()
  if top then
    redis.call('SET', KEYS[1], text(top))
    return top
  end
  if not stored then
    -- lost (eviction, a failover): recreated from the clock, above every value it showed
    redis.call('SET', KEYS[1], text(now))
    return now
  end
  return clock
end
if ARGV[1] == 'create' then
  local values = {}
  for i = 2, #KEYS do
    local current = redis.call('GET', KEYS[i])
    if current then
      values[i] = current
    else
      values[i] = text(write(KEYS[i], nil, false))
    end
  end
  local reply = {text(settle())}
  for i = 2, #KEYS do reply[i] = values[i] end
  return reply
end
local epochs = tonumber(ARGV[2])
local moved = 0
if stored then
  -- The clock is at least every counter of its stripe, so the tick is above each of them: one
  -- SET per counter (XX: a tag only when present).
  local value = text(tick)
  for i = 2, #KEYS do
    if i <= 1 + epochs then
      redis.call('SET', KEYS[i], value, 'KEEPTTL')
      moved = moved + 1
    elseif redis.call('SET', KEYS[i], value, 'XX', 'KEEPTTL') then
      moved = moved + 1
    end
  end
  redis.call('SET', KEYS[1], value)
  return {moved, value}
end
-- The clock was lost: each counter moves above its own value too, and the clock above them all.
for i = 2, #KEYS do
  local current = redis.call('GET', KEYS[i])
  if i <= 1 + epochs or current then
    write(KEYS[i], current, true)
    moved = moved + 1
  end
end
return {moved, text(settle())}
