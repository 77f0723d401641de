-- KEYS[1]: the bucket. ARGV[1]: microseconds between attempts at the steady rate;
-- ARGV[2]: microseconds of burst (the whole bucket). Returns 0 when the attempt is admitted
-- (and taken), else the microseconds until one would be.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then
  tat = now
end
local after = tat + interval
local admitAt = after - window
if now < admitAt then
  return admitAt - now
end
redis.call('SET', KEYS[1], string.format('%d', after), 'PX', math.ceil((after - now) / 1000))
return 0
