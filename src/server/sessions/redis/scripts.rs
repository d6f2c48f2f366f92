//! The store's Lua scripts, each run atomically by Redis.
//!
//! Every script checks the type of the keys it reads before using them: a
//! key of the wrong type under the prefix (another program's, or written
//! by hand with `redis-cli`) made every command on it fail with
//! `WRONGTYPE`. A wrong-typed `live` set or `counters` hash then turned
//! every chat request of every conversation into `503` and `/readyz` into
//! `503` with "cannot be reached", for good, since nothing replaced the
//! key; a wrong-typed conversation key did the same to that conversation.
//! Now a conversation key that does not hold a string reads as no
//! conversation (a new one starts, as for an expired id), and `live` and
//! `counters`, the store's own bookkeeping, are replaced when they hold
//! another type (noted in the Redis log).

/// Stores the conversation, refreshes its place in the `live` set, trims
/// ids idle for longer than the timeout (each an expiry, counted in
/// `counters`) and evicts beyond the capacity. The `live` set itself
/// lives a day longer than the timeout after the last save, so that ids
/// that expired are still there to be trimmed and counted by the next
/// save or [`STATS_LUA`] (`/healthz`, `/metrics`) in that time; at most
/// `capacity` ids of a few dozen bytes linger that long. (It used to live
/// one timeout: when every conversation had gone quiet the set vanished
/// with its ids, uncounted, and `/healthz` said `expired: 0` where the
/// memory store said 3; an operator's trial 51.)
/// KEYS: session, live, counters. ARGV: json, ttl_ms, now_ms, id,
/// capacity, session-key prefix.
pub(super) const SAVE_LUA: &str = r"
local function own(key, kind)
  local t = redis.call('TYPE', key).ok
  if t ~= kind and t ~= 'none' then
    redis.log(redis.LOG_WARNING, 'faqbot: replacing ' .. key .. ', a ' .. t .. ' instead of a ' .. kind)
    redis.call('DEL', key)
  end
end
own(KEYS[2], 'zset')
own(KEYS[3], 'hash')
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
local expired = redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (tonumber(ARGV[3]) - tonumber(ARGV[2])))
if expired > 0 then redis.call('HINCRBY', KEYS[3], 'expired', expired) end
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
if over > 0 then
  local old = redis.call('ZPOPMIN', KEYS[2], over)
  for i = 1, #old, 2 do redis.call('DEL', ARGV[6] .. old[i]) end
  redis.call('HINCRBY', KEYS[3], 'evicted', over)
end
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[2]) + 86400000)
return 1
";

/// Reads the conversation and renews its TTL and its place in `live`.
/// KEYS: session, live. ARGV: ttl_ms, now_ms, id.
pub(super) const LOAD_LUA: &str = r"
if redis.call('TYPE', KEYS[1]).ok ~= 'string' then return false end
local v = redis.call('GET', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
if redis.call('TYPE', KEYS[2]).ok == 'zset' then
  redis.call('ZADD', KEYS[2], 'XX', ARGV[2], ARGV[3])
end
return v
";

/// Deletes the lock only if it still holds our token. KEYS: lock. ARGV: token.
pub(super) const UNLOCK_LUA: &str = r"
if redis.call('TYPE', KEYS[1]).ok ~= 'string' then return 0 end
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
";

/// The counters of `/healthz`: conversations used since ARGV[1] (ms),
/// and the `expired` and `evicted` counts (0 when missing, or when a key
/// holds another type: the next save replaces it). Ids last used before
/// ARGV[1] are trimmed from `live` first and counted as expired, as a
/// save does. KEYS: live, counters.
pub(super) const STATS_LUA: &str = r"
local live = 0
local counters = redis.call('TYPE', KEYS[2]).ok
if redis.call('TYPE', KEYS[1]).ok == 'zset' then
  if counters == 'hash' or counters == 'none' then
    local gone = redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
    if gone > 0 then
      redis.call('HINCRBY', KEYS[2], 'expired', gone)
      counters = 'hash'
    end
  end
  live = redis.call('ZCOUNT', KEYS[1], ARGV[1], '+inf')
end
local expired, evicted = 0, 0
if counters == 'hash' then
  local c = redis.call('HMGET', KEYS[2], 'expired', 'evicted')
  expired = tonumber(c[1]) or 0
  evicted = tonumber(c[2]) or 0
end
return {live, expired, evicted}
";

/// Records this instance and its knowledge base's hash under the prefix,
/// forgets instances not heard from for ARGV[4] ms, and returns the other
/// live instances whose hash differs, as `{label, hash, ...}`.
/// KEYS: instances (a hash: instance id -> `seen_ms hash label`).
/// ARGV: instance id, kb hash, now_ms, stale_ms, label.
pub(super) const ANNOUNCE_LUA: &str = r"
local t = redis.call('TYPE', KEYS[1]).ok
if t ~= 'hash' and t ~= 'none' then
  redis.log(redis.LOG_WARNING, 'faqbot: replacing ' .. KEYS[1] .. ', a ' .. t .. ' instead of a hash')
  redis.call('DEL', KEYS[1])
end
local now, stale = tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3] .. ' ' .. ARGV[2] .. ' ' .. ARGV[5])
local all = redis.call('HGETALL', KEYS[1])
local differ = {}
for i = 1, #all, 2 do
  local id, v = all[i], all[i + 1]
  local seen, hash, label = string.match(v, '^(%d+) (%S+) (.*)$')
  if not seen or now - tonumber(seen) > stale then
    redis.call('HDEL', KEYS[1], id)
  elseif id ~= ARGV[1] and hash ~= ARGV[2] then
    table.insert(differ, label)
    table.insert(differ, hash)
  end
end
redis.call('PEXPIRE', KEYS[1], 2 * stale)
return differ
";

/// Removes this instance's entry (at shutdown). KEYS: instances. ARGV: id.
pub(super) const WITHDRAW_LUA: &str = r"
if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then return 0 end
return redis.call('HDEL', KEYS[1], ARGV[1])
";
