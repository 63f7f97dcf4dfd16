#!lua flags=allow-oom
-- Publishes a delivered bump's dependency tags to the near caches on the namespace's sharded
-- channel, numbered by the channel's sequence (created from the server clock, like a counter, so
-- it never repeats across a restart or failover). Sent only after every slot of the bump applied.
-- KEYS[1] the sequence counter (same slot as the channel); ARGV[1] the channel; ARGV[2..] tags.
-- Returns the sequence.
local sequence = redis.call('INCR', KEYS[1])
if sequence == 1 then
  local time = redis.call('TIME')
  local now = time[1] .. string.format('%06d', tonumber(time[2]))
  redis.call('SET', KEYS[1], now)
  sequence = tonumber(now)
end
local message = {sequence}
for i = 2, #ARGV do message[#message + 1] = ARGV[i] end
pcall(redis.call, 'SPUBLISH', ARGV[1], cmsgpack.pack(message))
return sequence
