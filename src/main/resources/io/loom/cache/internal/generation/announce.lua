-- A leased node announces a commit before its database commits (a prepare), or that a transaction
-- it announced rolled back (a lift), numbered in the invalidation sequence (created from the server
-- clock when absent, as every sequence and counter is).
-- Prepare: the message {'p', sequence, node, block ms, tag...} makes every other node drop its
-- values of the tags, hold them back from local hits until the bump that completes this prepare
-- (its message carries the prepare's sequence) or until the block ends on its own clock, and
-- acknowledge the sequence as it does a bump's; so the writer can have the acknowledgements in
-- hand by the time its bump returns (see LeaseMembership).
-- Lift: the message {sequence, node, prepared} has the shape of a bump's with no tags: the other
-- nodes lift that prepare's block now instead of when it ends on their clocks.
-- KEYS[1] the sequence counter; ARGV[1] the channel; ARGV[2] the node; ARGV[3] PUBLISH, or
-- SPUBLISH for a cluster's sharded channel (in the slot of KEYS[1]); ARGV[4] 'p' or 'lift';
-- ARGV[5] the block in ms of each node's own clock (prepare) or the prepare's sequence (lift);
-- ARGV[6..] tags (prepare). Returns the message's sequence.
local sequence = redis.call('INCR', KEYS[1])
if sequence == 1 then
  local time = redis.call('TIME')
  local now = time[1] .. string.format('%06d', tonumber(time[2]))
  redis.call('SET', KEYS[1], now)
  sequence = tonumber(now)
end
local message
if ARGV[4] == 'p' then
  message = {'p', sequence, ARGV[2], tonumber(ARGV[5])}
  for i = 6, #ARGV do message[#message + 1] = ARGV[i] end
else
  message = {sequence, ARGV[2], tonumber(ARGV[5])}
end
pcall(redis.call, ARGV[3], ARGV[1], cmsgpack.pack(message))
return sequence
