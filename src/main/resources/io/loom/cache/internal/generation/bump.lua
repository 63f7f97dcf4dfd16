#!lua flags=allow-oom
-- Moves the generations of (one chunk of) a committed transaction, and tells every node's near
-- cache which dependency tags moved. allow-oom: a bump must go through when Redis is at maxmemory
-- (with noeviction Redis would otherwise refuse it while still serving the reads that need it);
-- it writes at most one small counter per epoch and grows no entry.
-- KEYS[1] the counter key prefix (declared so Redis Cluster routes the call to the namespace's slot)
-- ARGV[1] counter key prefix; ARGV[2] number of write-epoch tags N; ARGV[3] invalidation channel;
-- ARGV[4] lease term in ms (lease + drift margin) when near caches hold leases, else 0;
-- ARGV[5] the committing node ("" when it holds no lease), sent with the message so that node
--         need not acknowledge its own bump;
-- ARGV[6] the sequence of the committing node's prepare (announce.lua) this bump completes, or 0:
--         sent with the message, so the nodes that applied the prepare lift its block;
-- ARGV[7 .. 6+N] write-epoch tags: incremented, or created from the server clock when absent;
-- ARGV[7+N ..]   dependency tags: when present, moved to the larger of value + 1 and the server
--                clock, so a tag moved at time t holds at least t (store.lua's precise proof);
--                the TTL is kept. An absent dependency tag needs no move: every entry stamped
--                with it already fails validation.
-- When there are dependency tags, the sequence counter <prefix>~seq is incremented (created from
-- the server clock, like a counter, so a sequence never repeats across a restart) and
-- {sequence, origin, prepared, tag...} (MessagePack) is published on the channel, present tags or not: a near cache
-- holding a value stamped with any of them drops it, and a gap in the sequence tells a node it
-- missed a message.
-- Returns {moved, sequence (0 when nothing was published), wait, clock, member...}. clock is a
-- server time read after every move, above every value this call set (0 when the clock had not
-- passed them): every later bump sets the tags it moves to at least clock, so a load that begins
-- after this reply can pass clock to store.lua as its `since` without reading it first. With a lease term,
-- the near-cache nodes whose lease (<prefix>~members, see lease.lua) is live, which must
-- acknowledge the sequence, and how many ms the writer must still wait because the membership
-- itself is younger than one lease term (Redis restarted or lost it: nodes may hold leases it
-- no longer knows of).
local prefix = ARGV[1]
local epochs = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = time[1] .. string.format('%06d', tonumber(time[2]))
local nowNumber = tonumber(now)
local moved = 0
local highest = 0 -- the highest value set on a dependency tag
local message = {0, ARGV[5], tonumber(ARGV[6])}
for i = 7, #ARGV do
  local key = prefix .. ARGV[i]
  if i < 7 + epochs then
    if redis.call('INCR', key) == 1 then
      -- absent before: INCR made it 1; start it from the clock instead (see RedisGenerationStore)
      redis.call('SET', key, now)
    end
    moved = moved + 1
  else
    local current = redis.call('GET', key)
    if current then
      local next = tonumber(current) + 1
      if next > nowNumber then
        redis.call('SET', key, string.format('%.0f', next), 'KEEPTTL')
        highest = math.max(highest, next)
      else
        redis.call('SET', key, now, 'KEEPTTL')
        highest = math.max(highest, nowNumber)
      end
      moved = moved + 1
    end
    message[#message + 1] = ARGV[i]
  end
end
local result = {moved, 0, 0, 0}
if #message > 3 then
  local sequence = redis.call('INCR', prefix .. '~seq')
  if sequence == 1 then
    redis.call('SET', prefix .. '~seq', now)
    sequence = tonumber(now)
  end
  message[1] = sequence
  result[2] = sequence
  -- A user whose ACL forbids the channel still bumps: near caches then see a gap and validate
  -- every hit by round trip.
  pcall(redis.call, 'PUBLISH', ARGV[3], cmsgpack.pack(message))
  local term = tonumber(ARGV[4])
  if term > 0 then
    local members = prefix .. '~members'
    local millis = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
    local since = redis.call('ZSCORE', members, '~since')
    if since then
      since = -tonumber(since)
    else
      redis.call('ZADD', members, -millis, '~since')
      since = millis
    end
    result[3] = math.max(0, since + term - millis)
    for _, member in ipairs(redis.call('ZRANGEBYSCORE', members, '(' .. millis, '+inf')) do
      result[#result + 1] = member
    end
  end
end
local after = redis.call('TIME')
local afterNumber = tonumber(after[1] .. string.format('%06d', tonumber(after[2])))
if afterNumber > highest and afterNumber > nowNumber then
  result[4] = afterNumber
end
return result
