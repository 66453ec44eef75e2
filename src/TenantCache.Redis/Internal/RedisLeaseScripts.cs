namespace TenantCache.Redis.Internal;

/// <summary>
/// The lease rules of memcached 1.6.18 (docs/design.md, "Recompute leases") as one-key Lua scripts over the
/// item header (<see cref="RedisItem"/>: byte 14 is the state, bit 0 a lease handed out, bit 1 stale). Each
/// returns <c>{item or false, verdict}</c>, the verdict <c>W</c> (this read won), <c>Z</c> (someone holds it)
/// or empty.
/// </summary>
internal static class RedisLeaseScripts
{
    /// <summary>
    /// The lease read (KEYS[1]; ARGV[1] lease ms, ARGV[2] refresh-before ms or 0, ARGV[3] the CAS of a
    /// placeholder): a missing key becomes an empty placeholder that lives ARGV[1] ms and is won; a held item
    /// answers Z; a stale unheld item, or a hit whose remaining time is below ARGV[2], is won (the state bit is
    /// set in place, the time to live untouched).
    /// </summary>
    private const string LeaseReadBody = """
        local v = redis.call('GET', KEYS[1])
        if not v then
          local placeholder = 'T' .. ARGV[3] .. '\0\0\0\0\1'
          redis.call('SET', KEYS[1], placeholder, 'PX', ARGV[1])
          return {placeholder, 'W'}
        end
        if #v < 14 or string.byte(v, 1) ~= 84 then return {v, ''} end
        local state = string.byte(v, 14)
        if state % 2 == 1 then return {v, 'Z'} end
        local win = state >= 2
        if not win and tonumber(ARGV[2]) > 0 then
          local ttl = redis.call('PTTL', KEYS[1])
          win = ttl >= 0 and ttl < tonumber(ARGV[2])
        end
        if not win then return {v, ''} end
        redis.call('SETRANGE', KEYS[1], 13, string.char(state + 1))
        return {string.sub(v, 1, 13) .. string.char(state + 1) .. string.sub(v, 15), 'W'}
        """;

    public const string LeaseRead = LeaseReadBody;

    /// <summary>
    /// Mark stale, then the lease read (KEYS[1]; ARGV[1..3] as <see cref="LeaseRead"/>, ARGV[4] the CAS read,
    /// ARGV[5] the new CAS, ARGV[6] stale-for ms): if the item still has ARGV[4], it becomes stale and unleased
    /// with CAS ARGV[5] and lives at most ARGV[6] ms more (memcached <c>md C I T</c>); then the read.
    /// </summary>
    public const string MarkStale = """
        local m = redis.call('GET', KEYS[1])
        if m and #m >= 14 and string.byte(m, 1) == 84 and string.sub(m, 2, 9) == ARGV[4] then
          redis.call('SETRANGE', KEYS[1], 1, ARGV[5])
          redis.call('SETRANGE', KEYS[1], 13, string.char(2))
          redis.call('PEXPIRE', KEYS[1], ARGV[6])
        end
        """ + "\n" + LeaseReadBody;

    /// <summary>Delete KEYS[1] only if its CAS is still ARGV[1]: 1 deleted, 0 not.</summary>
    public const string DeleteIfCas = """
        local v = redis.call('GET', KEYS[1])
        if v and #v >= 14 and string.byte(v, 1) == 84 and string.sub(v, 2, 9) == ARGV[1] then
          redis.call('DEL', KEYS[1])
          return 1
        end
        return 0
        """;
}
