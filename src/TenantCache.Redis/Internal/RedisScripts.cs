using StackExchange.Redis;

namespace TenantCache.Redis.Internal;

/// <summary>
/// The Lua scripts of the store. Each touches one key (so a Redis Cluster routes it by that key, with no
/// <c>CROSSSLOT</c>); StackExchange.Redis sends a script's SHA after its first use (<c>EVALSHA</c>).
/// </summary>
internal static class RedisScripts
{
    /// <summary>
    /// Replace the item only if it still has the CAS in ARGV[1] (its header bytes 2–9). ARGV[2] is the new
    /// item, ARGV[3] its time to live in ms ("" = none). Returns 1 stored, 0 another CAS, -1 no item.
    /// </summary>
    public const string CompareAndSet = """
        local v = redis.call('GET', KEYS[1])
        if not v then return -1 end
        if string.sub(v, 2, 9) ~= ARGV[1] then return 0 end
        if ARGV[3] == '' then redis.call('SET', KEYS[1], ARGV[2]) else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
        return 1
        """;

    /// <summary>Touch: ARGV[1] the new time to live in ms, or "" for none. Returns 1 when the key exists, else 0.</summary>
    public const string Touch = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        if ARGV[1] == '' then redis.call('PERSIST', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return 1
        """;

    /// <summary>A time to live as the scripts take it: whole milliseconds, at least 1 (zero means "already expired" at the port); "" for none.</summary>
    public static RedisValue Milliseconds(TimeSpan? expiry) =>
        expiry is { } ttl ? Math.Max(1L, (long)Math.Ceiling(Math.Min(ttl.TotalMilliseconds, long.MaxValue / 2))) : RedisValue.EmptyString;
}
