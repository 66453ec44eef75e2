using System.Text;
using StackExchange.Redis;

namespace TenantCache.Benchmarks.Bench;

/// <summary>The floor on Redis: one <c>GET</c> per read, one <c>SET</c> (with the TTL) per write; no tenant logic.</summary>
internal sealed class RedisRawContender(IDatabase db) : Contender
{
    public override string Name => RawContender.ContenderName;

    public override string Description => "one GET per read / one SET PX per write on the shared StackExchange.Redis connection; no tenant logic (its 'clear' in the mixed scenario is one SET, the floor of any O(1) clear)";

    public override bool HasTenantClear => false;

    public override async ValueTask<bool> ReadAsync(string tenant, string key) =>
        (await db.StringGetAsync($"bench.raw:{tenant}/{key}")).HasValue;

    public override async ValueTask WriteAsync(string tenant, string key, string value) =>
        await db.StringSetAsync($"bench.raw:{tenant}/{key}", Encoding.UTF8.GetBytes(value), Ttl);

    public override async ValueTask ClearTenantAsync(string tenant) =>
        await db.StringSetAsync($"bench.raw:ns:{tenant}", "1"u8.ToArray(), Ttl);

    public override Contender CreateSecondInstance() => new RedisRawContender(db);

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
