-- A leased near cache's renewal: makes the node a member of <prefix>~members until Redis time
-- now + lease (the score, in ms), forgets members whose lease ran out (and their
-- acknowledgements), and publishes {'hb', node, sequence, token} on the invalidation channel in
-- order with every bump's message, as heartbeat.lua does. The node counts its lease from when it
-- sent this call, and only once the heartbeat came back in sequence (see LeaseMembership).
-- The member '~since' (score: minus the Redis time the membership was created) dates the set:
-- a set younger than one lease term may have lost leases that nodes still hold (bump.lua).
-- KEYS[1] the members set; ARGV[1] counter key prefix; ARGV[2] node; ARGV[3] lease in ms;
-- ARGV[4] the channel; ARGV[5] the node's token; ARGV[6] PUBLISH, or SPUBLISH for a cluster's
-- sharded channel (in the slot of KEYS[1], as every key here is).
local prefix = ARGV[1]
local members = KEYS[1]
local acks = prefix .. '~acks'
local time = redis.call('TIME')
local millis = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if not redis.call('ZSCORE', members, '~since') then
  redis.call('ZADD', members, -millis, '~since')
end
for _, member in ipairs(redis.call('ZRANGEBYSCORE', members, 0, millis)) do
  redis.call('ZREM', members, member)
  redis.call('HDEL', acks, member)
end
redis.call('ZADD', members, millis + tonumber(ARGV[3]), ARGV[2])
local sequence = tonumber(redis.call('GET', prefix .. '~seq') or '0')
redis.call(ARGV[6], ARGV[4], cmsgpack.pack({'hb', ARGV[2], sequence, ARGV[5]}))
return sequence
