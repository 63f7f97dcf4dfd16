-- Claims the recorded prepares (announce.lua) that are due and whose node holds no live lease: that
-- node died, or was cut off, before it bumped its commit, so the caller bumps the records' tags
-- instead and then removes them. A due record whose node still holds its lease is left to that
-- node (it bumps, retrying, and removes the record). Every record looked at is pushed back by
-- ARGV[2] ms: a live node's is looked at again later, and a claimer that dies before removing its
-- claim leaves it to the next claimer.
-- KEYS[1] the intents set; KEYS[2] the members set (lease expiries in Redis ms); ARGV[1] the most
-- records to look at; ARGV[2] ms to push each one back. Returns the claimed members.
local time = redis.call('TIME')
local millis = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local claimed = {}
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', millis, 'LIMIT', 0, tonumber(ARGV[1]))) do
  local first = string.find(member, ' ', 1, true)
  local second = first and string.find(member, ' ', first + 1, true)
  redis.call('ZADD', KEYS[1], millis + tonumber(ARGV[2]), member)
  if second then
    local expiry = redis.call('ZSCORE', KEYS[2], string.sub(member, first + 1, second - 1))
    if not expiry or tonumber(expiry) <= millis then
      claimed[#claimed + 1] = member
    end
  else
    redis.call('ZREM', KEYS[1], member)
  end
end
return claimed
