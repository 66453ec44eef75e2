using TenantCache.Harness.Faults;
using TenantCache.Stores;

namespace TenantCache.Cli.Check;

/// <summary>
/// What the checker runs against: a store factory (called once per run; every application and
/// client of the run share the store it returns), the faults to inject, and whether the store may lose
/// entries on its own (eviction pressure), which, like any fault, turns the I3 check off.
/// </summary>
/// <param name="Name">Shown in the header, e.g. "memory" or "memcached 127.0.0.1:11211".</param>
/// <param name="StoreFactory">Creates the store of a run.</param>
/// <param name="Faults">Faults to inject; empty for none.</param>
/// <param name="StoreMayLoseEntries">The store may evict entries (small memory): I3 is not judged.</param>
/// <param name="Placement">Where the version keys live and which nodes faults empty (the checker's own nodes only): the I4 rule needs it.</param>
internal sealed record CheckTarget(string Name, Func<ICacheStore> StoreFactory, IReadOnlyList<IFault> Faults, bool StoreMayLoseEntries = false, TokenPlacement? Placement = null)
{
    /// <summary>The in-process store with its default (large) memory, no faults.</summary>
    public static CheckTarget InProcess() =>
        new("memory", () => new MemoryCacheStore(), []);

    /// <summary>A Redis, standalone or cluster, named by a StackExchange.Redis configuration string; no faults.</summary>
    public static CheckTarget OnRedis(string configuration) =>
        new("redis " + RedisEndpoints(configuration), () => new Redis.RedisCacheStore(new Redis.RedisStoreOptions { Configuration = configuration }), []);

    /// <summary>The endpoints of a configuration string, without its options (a password must not be printed).</summary>
    public static string RedisEndpoints(string configuration) =>
        string.Join(',', configuration.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(part => !part.Contains('=', StringComparison.Ordinal)));
}
