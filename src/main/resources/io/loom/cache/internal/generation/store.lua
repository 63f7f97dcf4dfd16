#!lua
-- (A flagged script without allow-oom: at maxmemory Redis refuses it before it runs, so it never
-- stops half way; the caller then keeps nothing, as when an epoch moved.)
-- Stamps and stores one entry, in one round trip, only if no commit that could change what the
-- load read was bumped while it ran. Two proofs, either suffices:
--  precise: every dependency tag of the entry exists and was last moved before `since`, the
--           server time read before the load (a bump sets each tag it moves to at least its own
--           server time, so a tag moved at or after `since` holds a value >= since);
--  epochs:  no watched write epoch moved since the caller read them before the load (any write
--           of a watched entity moves its epoch).
-- KEYS[1]  the entry key
-- ARGV[1]  counter key prefix      ARGV[2] entry TTL in ms (0 = none)
-- ARGV[3]  counter TTL floor in ms ARGV[4] since, in microseconds ('0' = unknown: epochs only)
-- ARGV[5]  number of watched epochs N
-- ARGV[6 .. 5+2N]  pairs (epoch tag, value read before the load, '' when absent)
--                  An epoch absent now never matches, whatever was read: it may have been lost
--                  and recreated since (an ABA no value comparison can see). It is created from
--                  the clock here, so the next load can be kept. (A read that finds an epoch
--                  absent creates it, epochs.lua, so '' is only ever sent by a caller that lost
--                  the race with an eviction.)
-- ARGV[6+2N]       the payload
-- ARGV[7+2N ..]    the tags the entry depends on
-- Returns {1, packed header} when stored (the stamp: tags and their generations), {0} when
-- neither proof holds (the load may have raced a commit). Absent tags are created either way, so
-- the next load of the entry can use the precise proof.
local prefix = ARGV[1]
local entryTtl = tonumber(ARGV[2])
local counterTtl = tonumber(ARGV[3])
local since = tonumber(ARGV[4])
local watched = tonumber(ARGV[5])

local time = redis.call('TIME')
local now = time[1] .. string.format('%06d', tonumber(time[2]))

local tagsAt = 6 + 2 * watched + 1
local generations = {}
local precise = since > 0
for i = tagsAt, #ARGV do
  local generation = redis.call('GET', prefix .. ARGV[i])
  generations[i] = generation
  if not generation or tonumber(generation) >= since then precise = false end
end

local refused = false
if not precise then
  local index = 6
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
end
local payload = ARGV[tagsAt - 1]
local header = {}
for i = tagsAt, #ARGV do
  local key = prefix .. ARGV[i]
  local generation = generations[i]
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
if refused then return {0} end

local packed = cmsgpack.pack(header)
local entry = 'LM1' .. struct.pack('>I4', #packed) .. packed .. payload
if entryTtl > 0 then
  redis.call('SET', KEYS[1], entry, 'PX', entryTtl)
else
  redis.call('SET', KEYS[1], entry)
end
return {1, packed}
