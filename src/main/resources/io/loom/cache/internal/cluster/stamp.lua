#!lua
-- (Without allow-oom: at maxmemory Redis refuses it before it runs, and the store keeps nothing.)
-- Reads the generations of the dependency counters of ONE cluster slot for a stamp, creating
-- absent ones from the server clock, and extends their TTL to at least the entry's.
-- KEYS the counters (one slot); ARGV[1] counter TTL in ms (0 = none).
-- Returns the generations in KEYS order.
local time = redis.call('TIME')
local now = time[1] .. string.format('%06d', tonumber(time[2]))
local ttl = tonumber(ARGV[1])
local values = {}
for i = 1, #KEYS do
  local generation = redis.call('GET', KEYS[i])
  if not generation then
    generation = now
    if ttl > 0 then
      redis.call('SET', KEYS[i], generation, 'PX', ttl)
    else
      redis.call('SET', KEYS[i], generation)
    end
  elseif ttl > 0 then
    local remaining = redis.call('PTTL', KEYS[i])
    if remaining >= 0 and remaining < ttl then redis.call('PEXPIRE', KEYS[i], ttl) end
  end
  values[i] = generation
end
return values
