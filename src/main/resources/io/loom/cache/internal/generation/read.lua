-- Validated read of one stamped entry, in one round trip.
-- KEYS[1]  the entry key
-- ARGV[1]  the counter key prefix; ARGV[2..] the write-epoch tags to report on a miss
-- Returns {status, payload, time, epoch values...}: status 0 = absent, 2 = stale (a tag moved or
-- is gone), 3 = not a Loom entry, time the server clock in microseconds (read before the
-- caller's load: store.lua's `since`); or {1, payload, header} when current (the header is the
-- stamp).
local prefix = ARGV[1]

local function epochs(reply)
  local time = redis.call('TIME')
  reply[#reply + 1] = time[1] .. string.format('%06d', tonumber(time[2]))
  local n = #ARGV - 1
  if n > 0 then
    local keys = {}
    for i = 1, n do keys[i] = prefix .. ARGV[i + 1] end
    local values = redis.call('MGET', unpack(keys))
    for i = 1, n do reply[#reply + 1] = values[i] or '' end
  end
  return reply
end

local entry = redis.call('GET', KEYS[1])
if not entry then return epochs({0, ''}) end
if string.sub(entry, 1, 3) ~= 'LM1' or #entry < 7 then return epochs({3, ''}) end
local headerLength = struct.unpack('>I4', string.sub(entry, 4, 7))
local ok, header = pcall(cmsgpack.unpack, string.sub(entry, 8, 7 + headerLength))
if not ok or type(header) ~= 'table' then return epochs({3, ''}) end

-- header = {tag1, generation1, tag2, generation2, ...}; compared as strings.
local pairsCount = #header / 2
local chunk = 256
local first = 1
while first <= pairsCount do
  local last = math.min(first + chunk - 1, pairsCount)
  local keys = {}
  for i = first, last do keys[#keys + 1] = prefix .. header[2 * i - 1] end
  local current = redis.call('MGET', unpack(keys))
  for i = first, last do
    if current[i - first + 1] ~= header[2 * i] then return epochs({2, ''}) end
  end
  first = last + 1
end
return {1, string.sub(entry, 8 + headerLength), string.sub(entry, 8, 7 + headerLength)}
