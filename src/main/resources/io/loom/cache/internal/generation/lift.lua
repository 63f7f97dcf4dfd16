-- A leased node's transaction rolled back after its prepare (prepare.lua): the other nodes lift
-- the prepare's block now instead of when it ends on their clocks. The message has the shape of a
-- bump's with no tags, {sequence, node, prepared}, numbered in the same sequence (created from the
-- server clock when absent, as every sequence and counter is).
-- KEYS[1] the sequence counter; ARGV[1] the channel; ARGV[2] the node; ARGV[3] the prepare's
-- sequence; ARGV[4] PUBLISH, or SPUBLISH for a cluster's sharded channel (in the slot of KEYS[1]).
local sequence = redis.call('INCR', KEYS[1])
if sequence == 1 then
  local time = redis.call('TIME')
  local now = time[1] .. string.format('%06d', tonumber(time[2]))
  redis.call('SET', KEYS[1], now)
  sequence = tonumber(now)
end
pcall(redis.call, ARGV[4], ARGV[1], cmsgpack.pack({sequence, ARGV[2], tonumber(ARGV[3])}))
return sequence
