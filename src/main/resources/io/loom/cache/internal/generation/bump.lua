-- Moves every generation a committed transaction affects, in one round trip.
-- ARGV[1] counter key prefix; ARGV[2] number of write-epoch tags N;
-- ARGV[3 .. 2+N] write-epoch tags: incremented, or created from the server clock when absent;
-- ARGV[3+N ..]   dependency tags: incremented when present. An absent dependency tag needs no
--                move: every entry stamped with it already fails validation.
-- Returns the number of counters moved or created.
local prefix = ARGV[1]
local epochs = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = time[1] .. string.format('%06d', tonumber(time[2]))
local moved = 0
for i = 3, #ARGV do
  local key = prefix .. ARGV[i]
  if redis.call('EXISTS', key) == 1 then
    redis.call('INCR', key)
    moved = moved + 1
  elseif i < 3 + epochs then
    redis.call('SET', key, now)
    moved = moved + 1
  end
end
return moved
