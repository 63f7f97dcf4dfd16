#!lua flags=allow-oom
-- Creates the write epochs a miss found absent, from the server clock, and returns every one's
-- value. A miss then always watches a real value: an absent epoch is never matched by store.lua
-- (it may have been created and lost again since), so without this the first load after a cold
-- start or an eviction could not be kept. allow-oom: one small counter per entity.
-- ARGV[1] counter key prefix; ARGV[2..] the epoch tags.
-- Returns {time, value...}: the server clock in microseconds (store.lua's `since` for a load that
-- starts after this call), then each epoch's value.
local time = redis.call('TIME')
local now = time[1] .. string.format('%06d', tonumber(time[2]))
local values = {now}
for i = 2, #ARGV do
  local key = ARGV[1] .. ARGV[i]
  redis.call('SET', key, now, 'NX')
  values[#values + 1] = redis.call('GET', key)
end
return values
