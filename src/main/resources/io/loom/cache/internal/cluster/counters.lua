#!lua flags=allow-oom
-- Moves or creates generation counters of ONE cluster slot (ClusterGenerationStore sends one call
-- per slot, so Redis Cluster routes it, and redirects it during a migration, like a single key).
-- allow-oom: bumps must go through at maxmemory; they write only small counters.
-- KEYS  the counters, all in one slot.
-- ARGV[1] 'epoch'  INCR each, creating an absent one from the server clock; returns the count
--         'tag'    INCR each present one (an absent tag needs no move); returns the count
--         'create' SET NX from the server clock; returns every value
-- Created values are the server clock in microseconds (TIME), as in RedisGenerationStore: a
-- counter created again starts above every value a predecessor showed.
local time = redis.call('TIME')
local now = time[1] .. string.format('%06d', tonumber(time[2]))
local mode = ARGV[1]
if mode == 'create' then
  local values = {}
  for i = 1, #KEYS do
    redis.call('SET', KEYS[i], now, 'NX')
    values[i] = redis.call('GET', KEYS[i])
  end
  return values
end
local moved = 0
for i = 1, #KEYS do
  if mode == 'epoch' then
    if redis.call('INCR', KEYS[i]) == 1 then
      redis.call('SET', KEYS[i], now)
    end
    moved = moved + 1
  elseif redis.call('EXISTS', KEYS[i]) == 1 then
    redis.call('INCR', KEYS[i])
    moved = moved + 1
  end
end
return moved
