#!lua flags=allow-oom
-- Publishes a delivered bump's dependency tags to the near caches on the namespace's sharded
-- channel, numbered by the channel's sequence (created from the server clock, like a counter, so
-- it never repeats across a restart or failover). Sent only after every slot of the bump applied.
-- With leased near caches it also returns, as bump.lua does on one server, the members whose
-- lease is live (they must acknowledge the sequence) and how long a membership younger than one
-- lease term still asks the writer to wait.
-- KEYS[1] the sequence counter, KEYS[2] the membership set (both in the channel's slot);
-- ARGV[1] the channel; ARGV[2] the lease term in ms (lease + drift margin), 0 without leases;
-- ARGV[3] the committing node ("" without a lease), sent as the message's second element;
-- ARGV[4] the sequence of the committing node's prepare this bump completes, or 0 (the nodes that
-- applied it lift its block); ARGV[5..] tags. The message is {sequence, origin, prepared, tag...}. Returns {0, sequence, wait, 0, member...} (no clock: a cluster's
-- stores prove loads by stripe clocks, not by one server's time),
-- the shape of bump.lua's reply (no counter moved here).
local time = redis.call('TIME')
local sequence = redis.call('INCR', KEYS[1])
if sequence == 1 then
  local now = time[1] .. string.format('%06d', tonumber(time[2]))
  redis.call('SET', KEYS[1], now)
  sequence = tonumber(now)
end
local message = {sequence, ARGV[3], tonumber(ARGV[4])}
for i = 5, #ARGV do message[#message + 1] = ARGV[i] end
pcall(redis.call, 'SPUBLISH', ARGV[1], cmsgpack.pack(message))
local result = {0, sequence, 0, 0}
local term = tonumber(ARGV[2])
if term > 0 then
  local millis = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  local since = redis.call('ZSCORE', KEYS[2], '~since')
  if since then
    since = -tonumber(since)
  else
    redis.call('ZADD', KEYS[2], -millis, '~since')
    since = millis
  end
  result[3] = math.max(0, since + term - millis)
  for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. millis, '+inf')) do
    result[#result + 1] = member
  end
end
return result
