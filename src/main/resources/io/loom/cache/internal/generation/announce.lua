-- A leased node announces a commit before its database commits (a prepare), or that a transaction
-- it announced rolled back (a lift), numbered in the invalidation sequence (created from the server
-- clock when absent, as every sequence and counter is).
-- Prepare: the message {'p', sequence, node, block ms, tag...} makes every other node drop its
-- values of the tags, hold them back from local hits until the bump that completes this prepare
-- (its message carries the prepare's sequence) or until the block ends on its own clock, and
-- acknowledge the sequence as it does a bump's; so the writer can have the acknowledgements in
-- hand by the time its bump returns (see LeaseMembership).
-- A prepare may also record the commit's invalidation: the member "<sequence> <node> <record>" of
-- the intents set, scored by the Redis time in ms after which a replay may bump it should its node
-- die before its own bump (PreparedCommitReplay; intents.lua).
-- Lift: the message {sequence, node, prepared} has the shape of a bump's with no tags: the other
-- nodes lift that prepare's block now instead of when it ends on their clocks; the prepare's
-- record, if any, is removed.
-- KEYS[1] the sequence counter; KEYS[2] the intents set (same slot); ARGV[1] the channel; ARGV[2]
-- the node; ARGV[3] PUBLISH, or SPUBLISH for a cluster's sharded channel (in the slot of KEYS[1]);
-- ARGV[4] 'p' or 'lift'; ARGV[5] the block in ms of each node's own clock (prepare) or the
-- prepare's sequence (lift); ARGV[6] the record to keep (prepare) or the member to remove (lift),
-- '' for none; ARGV[7] ms until a record may be replayed; ARGV[8..] tags (prepare). Returns the
-- message's sequence.
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
  for i = 8, #ARGV do message[#message + 1] = ARGV[i] end
  if ARGV[6] ~= '' then
    local time = redis.call('TIME')
    local millis = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
    redis.call('ZADD', KEYS[2], millis + tonumber(ARGV[7]), string.format('%d', sequence) .. ' ' .. ARGV[2] .. ' ' .. ARGV[6])
  end
else
  message = {sequence, ARGV[2], tonumber(ARGV[5])}
  if ARGV[6] ~= '' then
    redis.call('ZREM', KEYS[2], ARGV[6])
  end
end
pcall(redis.call, ARGV[3], ARGV[1], cmsgpack.pack(message))
return sequence
