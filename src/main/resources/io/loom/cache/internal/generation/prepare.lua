-- A leased node announces, before its database commit, the dependency tags its commit will move:
-- every other node drops its values of those tags, holds them back from local hits until the
-- bump that completes this prepare (its message carries the prepare's sequence) or until the block
-- ends on its own clock, and acknowledges the sequence as it does a bump's. So the writer can have
-- the acknowledgements in hand by the time its bump returns (see LeaseMembership).
-- KEYS[1] the sequence counter; ARGV[1] the channel; ARGV[2] the committing node; ARGV[3] how long
-- the block lasts, in ms of each node's own clock; ARGV[4] PUBLISH, or SPUBLISH for a cluster's
-- sharded channel (in the slot of KEYS[1]); ARGV[5..] tags.
-- The message is {'p', sequence, node, block ms, tag...}; returns the sequence.
local sequence = redis.call('INCR', KEYS[1])
if sequence == 1 then
  local time = redis.call('TIME')
  local now = time[1] .. string.format('%06d', tonumber(time[2]))
  redis.call('SET', KEYS[1], now)
  sequence = tonumber(now)
end
local message = {'p', sequence, ARGV[2], tonumber(ARGV[3])}
for i = 5, #ARGV do message[#message + 1] = ARGV[i] end
pcall(redis.call, ARGV[4], ARGV[1], cmsgpack.pack(message))
return sequence
