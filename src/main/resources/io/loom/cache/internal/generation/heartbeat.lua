-- A near cache's heartbeat: publishes {'hb', node, sequence, token} on the invalidation channel.
-- Every invalidation published before it carries a sequence at most this one, so a node that
-- receives its own heartbeat knows it has seen every invalidation up to the moment it sent it
-- (or, from a gap in the sequence, that it missed one).
-- KEYS[1] the sequence counter; ARGV[1] the channel; ARGV[2] the node; ARGV[3] the node's token;
-- ARGV[4] PUBLISH, or SPUBLISH for a cluster's sharded channel (in the slot of KEYS[1]).
local sequence = tonumber(redis.call('GET', KEYS[1]) or '0')
redis.call(ARGV[4], ARGV[1], cmsgpack.pack({'hb', ARGV[2], sequence, ARGV[3]}))
return sequence
