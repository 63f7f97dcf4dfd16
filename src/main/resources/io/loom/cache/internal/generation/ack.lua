-- A leased near cache acknowledges that it applied every invalidation up to a sequence: records it
-- in <prefix>~acks and tells waiting writers on the acknowledgement channel ("node sequence from":
-- from is the first sequence of the unbroken run of messages the node received, so a writer knows
-- whether the node applied its prepare itself or skipped past it after a gap).
-- KEYS[1] the acknowledgements hash; ARGV[1] node; ARGV[2] sequence; ARGV[3] the channel; ARGV[4] from.
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[1] .. ' ' .. ARGV[2] .. ' ' .. ARGV[4])
return 1
