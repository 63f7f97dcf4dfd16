-- A leased near cache acknowledges that it applied every invalidation up to a sequence: records it
-- in <prefix>~acks and tells waiting writers on the acknowledgement channel ("node sequence").
-- KEYS[1] the acknowledgements hash; ARGV[1] node; ARGV[2] sequence; ARGV[3] the channel.
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[1] .. ' ' .. ARGV[2])
return 1
