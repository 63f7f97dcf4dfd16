-- Which of the given members still owe a writer the acknowledgement of a sequence: those whose
-- recorded acknowledgement is below it and whose lease is still live by Redis time.
-- KEYS[1] the members set; ARGV[1] the acknowledgements hash; ARGV[2] sequence; ARGV[3..] members.
local time = redis.call('TIME')
local millis = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local sequence = tonumber(ARGV[2])
local pending = {}
for i = 3, #ARGV do
  local acked = tonumber(redis.call('HGET', ARGV[1], ARGV[i]) or '0')
  local expiry = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if acked < sequence and expiry and tonumber(expiry) > millis then
    pending[#pending + 1] = ARGV[i]
  end
end
return pending
