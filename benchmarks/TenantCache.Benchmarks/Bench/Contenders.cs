using System.Globalization;
using System.Text;
using TenantCache.Memcached;

namespace TenantCache.Benchmarks.Bench;

/// <summary>
/// One way of caching per-tenant data that the bench measures. Every contender of a run shares one
/// server and one client: on memcached the same <see cref="MemcachedClient"/> (directly, through
/// <see cref="MemcachedCacheStore"/>, or through <see cref="BenchDistributedCache"/>); on Redis the same
/// StackExchange.Redis connection (directly, through <c>RedisCacheStore</c>, or through <c>RedisCache</c>).
/// </summary>
internal abstract class Contender : IAsyncDisposable
{
    /// <summary>Entry lifetime used by every contender.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromMinutes(30);

    /// <summary>Short name used in tables and JSON.</summary>
    public abstract string Name { get; }

    /// <summary>How it is configured, in one line.</summary>
    public abstract string Description { get; }

    /// <summary>Whether a tenant clear is a real operation (raw has none).</summary>
    public virtual bool HasTenantClear => true;

    /// <summary>
    /// How long another instance may take to see a clear (a backplane's message in flight): the
    /// cross-instance check polls that long before it calls a read stale. Zero: it must miss at once.
    /// </summary>
    public virtual TimeSpan PropagationWait => TimeSpan.Zero;

    /// <summary>Reads one entry; true on a hit.</summary>
    public abstract ValueTask<bool> ReadAsync(string tenant, string key);

    /// <summary>Writes one entry.</summary>
    public abstract ValueTask WriteAsync(string tenant, string key, string value);

    /// <summary>Invalidates every entry of one tenant.</summary>
    public abstract ValueTask ClearTenantAsync(string tenant);

    /// <summary>A second, independent instance over the same server (another app instance), for the cross-instance check.</summary>
    public abstract Contender CreateSecondInstance();

    public abstract ValueTask DisposeAsync();
}

/// <summary>The floor: one <c>mg</c> per read, one <c>ms</c> per write; no tenant logic.</summary>
internal sealed class RawContender(MemcachedClient client) : Contender
{
    public const string ContenderName = "raw";

    public override string Name => ContenderName;

    public override string Description => "one mg per read / one ms per write through MemcachedClient; no tenant logic (its 'clear' in the mixed scenario is one ms, the floor of any O(1) clear)";

    public override bool HasTenantClear => false;

    public override async ValueTask<bool> ReadAsync(string tenant, string key) =>
        (await client.GetAsync($"bench.raw:{tenant}/{key}")).Found;

    public override async ValueTask WriteAsync(string tenant, string key, string value) =>
        await client.SetAsync($"bench.raw:{tenant}/{key}", Encoding.UTF8.GetBytes(value), Ttl);

    public override async ValueTask ClearTenantAsync(string tenant) =>
        await client.SetAsync($"bench.raw:ns:{tenant}", "1"u8.ToArray(), Ttl);

    public override Contender CreateSecondInstance() => new RawContender(client);

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>
/// The classic namespace recipe: read the tenant's namespace value (create it with add when it is
/// missing), write it back to refresh its TTL (touch), then read <c>tenant:{ns}/key</c>; a clear
/// increments the namespace value. Three round trips per read.
/// </summary>
internal sealed class NaiveContender(MemcachedClient client, string prefix = "bench.naive") : Contender
{
    public const string ContenderName = "naive";

    public override string Name => ContenderName;

    public override string Description => "namespace recipe: mg ns (ms ME on a miss), touch ns, mg tenant:{ns}/key (3 round trips); clear = incr ns";

    public override async ValueTask<bool> ReadAsync(string tenant, string key)
    {
        var ns = await NamespaceAsync(tenant);
        return (await client.GetAsync($"{prefix}:{tenant}:{ns}/{key}")).Found;
    }

    public override async ValueTask WriteAsync(string tenant, string key, string value)
    {
        var ns = await NamespaceAsync(tenant);
        await client.SetAsync($"{prefix}:{tenant}:{ns}/{key}", Encoding.UTF8.GetBytes(value), Ttl);
    }

    public override async ValueTask ClearTenantAsync(string tenant) =>
        await client.IncrementAsync($"{prefix}:ns:{tenant}", 1);

    public override Contender CreateSecondInstance() => new NaiveContender(client, prefix);

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async ValueTask<string> NamespaceAsync(string tenant)
    {
        var nsKey = $"{prefix}:ns:{tenant}";
        var item = await client.GetAsync(nsKey);
        if (!item.Found)
        {
            var initial = Random.Shared.Next(1, int.MaxValue).ToString(CultureInfo.InvariantCulture);
            await client.AddAsync(nsKey, Encoding.ASCII.GetBytes(initial), Ttl);
            item = await client.GetAsync(nsKey);
            if (!item.Found)
            {
                return initial;
            }
        }

        // Write it back so that a namespace in use never expires before its entries.
        await client.TouchAsync(nsKey, Ttl);
        return Encoding.ASCII.GetString(item.Value.Span).TrimEnd();
    }
}
