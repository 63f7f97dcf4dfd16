#!lua
-- (Without allow-oom: at maxmemory Redis refuses it before it runs, and the store keeps nothing.)
-- Reads the generations of ONE stripe's counters for a stamp, creating absent ones as counters.lua
-- does, extends their TTL to at least the entry's, and says whether the store's proof holds
-- there: every counter existed and holds at most `since`, the stripe's clock as the caller read
-- it before its load (a counter written after that reading holds more: counters.lua).
-- KEYS[1] the stripe's clock; KEYS[2..] the counters; ARGV[1] counter TTL in ms (0 = none);
-- ARGV[2] since ('0' = unknown: the proof fails).
-- Returns {proven (1 or 0), clock, generation...} with the generations in KEYS[2..] order.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local function text(number) return string.format('%.0f', number) end
local ttl = tonumber(ARGV[1])
local since = tonumber(ARGV[2])
local stored = redis.call('GET', KEYS[1])
local clock = tonumber(stored or '0')
local tick = math.max(clock + 1, now)
local proven = since > 0 and 1 or 0
local created = false
local reply = {0, ''}
for i = 2, #KEYS do
  local generation = redis.call('GET', KEYS[i])
  if not generation then
    generation = text(tick)
    created = true
    proven = 0
    if ttl > 0 then
      redis.call('SET', KEYS[i], generation, 'PX', ttl)
    else
      redis.call('SET', KEYS[i], generation)
    end
  else
    if tonumber(generation) > since then proven = 0 end
    if ttl > 0 then
      local remaining = redis.call('PTTL', KEYS[i])
      if remaining >= 0 and remaining < ttl then redis.call('PEXPIRE', KEYS[i], ttl) end
    end
  end
  reply[i + 1] = generation
end
if created then
  clock = tick
  redis.call('SET', KEYS[1], text(clock))
elseif not stored then
  clock = now
  redis.call('SET', KEYS[1], text(clock))
end
reply[1] = proven
reply[2] = text(clock)
return reply
