-- A near cache's heartbeat on the sharded channel: {'hb', node, sequence, token}, in order with
-- every bump's message (same slot, same single-threaded server), as the single-server heartbeat.
-- KEYS[1] the sequence counter; ARGV[1] the channel; ARGV[2] the node; ARGV[3] the node's token.
local sequence = tonumber(redis.call('GET', KEYS[1]) or '0')
redis.call('SPUBLISH', ARGV[1], cmsgpack.pack({'hb', ARGV[2], sequence, ARGV[3]}))
return sequence
