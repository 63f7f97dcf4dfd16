#!lua flags=allow-oom
-- Moves the generations of (one chunk of) a committed transaction, and tells every node's near
-- cache which dependency tags moved. allow-oom: a bump must go through when Redis is at maxmemory
-- (with noeviction Redis would otherwise refuse it while still serving the reads that need it);
-- it writes at most one small counter per epoch and grows no entry.
-- KEYS[1] the counter key prefix (declared so Redis Cluster routes the call to the namespace's slot)
-- ARGV[1] counter key prefix; ARGV[2] number of write-epoch tags N; ARGV[3] invalidation channel;
-- ARGV[4 .. 3+N] write-epoch tags: incremented, or created from the server clock when absent;
-- ARGV[4+N ..]   dependency tags: incremented when present. An absent dependency tag needs no
--                move: every entry stamped with it already fails validation.
-- When there are dependency tags, the sequence counter <prefix>~seq is incremented and
-- {sequence, tag...} (MessagePack) is published on the channel, present tags or not: a near cache
-- holding a value stamped with any of them drops it, and a gap in the sequence tells a node it
-- missed a message.
-- Returns the number of counters moved or created.
local prefix = ARGV[1]
local epochs = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = time[1] .. string.format('%06d', tonumber(time[2]))
local moved = 0
local message = {0}
for i = 4, #ARGV do
  local key = prefix .. ARGV[i]
  if i < 4 + epochs then
    if redis.call('INCR', key) == 1 then
      -- absent before: INCR made it 1; start it from the clock instead (see RedisGenerationStore)
      redis.call('SET', key, now)
    end
    moved = moved + 1
  else
    if redis.call('EXISTS', key) == 1 then
      redis.call('INCR', key)
      moved = moved + 1
    end
    message[#message + 1] = ARGV[i]
  end
end
if #message > 1 then
  message[1] = redis.call('INCR', prefix .. '~seq')
  -- A user whose ACL forbids the channel still bumps: near caches then see a gap and validate
  -- every hit by round trip.
  pcall(redis.call, 'PUBLISH', ARGV[3], cmsgpack.pack(message))
end
return moved
