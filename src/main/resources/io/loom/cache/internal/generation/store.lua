#!lua
-- (A flagged script without allow-oom: at maxmemory Redis refuses it before it runs, so it never
-- stops half way; the caller then keeps nothing, as when an epoch moved.)
-- Stamps and stores one entry, in one round trip, only if no watched write epoch moved since
-- the caller read them before its database load.
-- KEYS[1]  the entry key
-- ARGV[1]  counter key prefix      ARGV[2] entry TTL in ms (0 = none)
-- ARGV[3]  counter TTL floor in ms ARGV[4] number of watched epochs N
-- ARGV[5 .. 4+2N]  pairs (epoch tag, value read before the load, '' when absent)
--                  An epoch absent now never matches, whatever was read: it may have been lost
--                  and recreated since (an ABA no value comparison can see). It is created from
--                  the clock here, so the next load can be kept. (A read that finds an epoch
--                  absent creates it, epochs.lua, so '' is only ever sent by a caller that lost
--                  the race with an eviction.)
-- ARGV[5+2N]       the payload
-- ARGV[6+2N ..]    the tags the entry depends on
-- Returns {1, packed header} when stored (the stamp: tags and their generations), {0} when an
-- epoch moved (the load may have raced a commit).
local prefix = ARGV[1]
local entryTtl = tonumber(ARGV[2])
local counterTtl = tonumber(ARGV[3])
local watched = tonumber(ARGV[4])

local time = redis.call('TIME')
local now = time[1] .. string.format('%06d', tonumber(time[2]))

local index = 5
local refused = false
for _ = 1, watched do
  local key = prefix .. ARGV[index]
  local current = redis.call('GET', key)
  if not current then
    redis.call('SET', key, now)
    refused = true
  elseif current ~= ARGV[index + 1] then
    refused = true
  end
  index = index + 2
end
if refused then return {0} end
local payload = ARGV[index]
index = index + 1
local header = {}
for i = index, #ARGV do
  local key = prefix .. ARGV[i]
  local generation = redis.call('GET', key)
  if not generation then
    generation = now
    if counterTtl > 0 then
      redis.call('SET', key, generation, 'PX', counterTtl)
    else
      redis.call('SET', key, generation)
    end
  elseif counterTtl > 0 then
    local remaining = redis.call('PTTL', key)
    if remaining >= 0 and remaining < counterTtl then redis.call('PEXPIRE', key, counterTtl) end
  end
  header[#header + 1] = ARGV[i]
  header[#header + 1] = generation
end

local packed = cmsgpack.pack(header)
local entry = 'LM1' .. struct.pack('>I4', #packed) .. packed .. payload
if entryTtl > 0 then
  redis.call('SET', KEYS[1], entry, 'PX', entryTtl)
else
  redis.call('SET', KEYS[1], entry)
end
return {1, packed}
