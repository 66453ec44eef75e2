using Microsoft.Extensions.Caching.Distributed;
using TenantCache.Benchmarks.Bench;

namespace TenantCache.Benchmarks.Herd;

/// <summary>
/// The bench's framework contenders, set up exactly as there, with their own get-or-create:
/// <c>fusion</c> is <see cref="FusionCacheContender"/> distributed-only (memory level skipped for entries
/// and tag expirations), <c>hybrid</c> is <see cref="HybridCacheContender"/> with the local cache disabled,
/// both over <see cref="BenchDistributedCache"/>. Each has in-process stampede protection only here:
/// FusionCache's distributed locker has no memcached implementation, HybridCache has none at all.
/// </summary>
internal sealed class FrameworkHerdContender : HerdContender
{
    public const string FusionName = "fusion";

    public const string HybridName = "hybrid";

    private readonly FusionCacheContender? _fusion;
    private readonly HybridCacheContender? _hybrid;

    public FrameworkHerdContender(string name, IDistributedCache distributed, string run)
        : base(run)
    {
        if (name == FusionName)
        {
            _fusion = new FusionCacheContender(distributed, distributedOnly: true);
        }
        else
        {
            _hybrid = new HybridCacheContender(distributed, localDisabled: true);
        }
    }

    public override string Name => _fusion is not null ? FusionName : HybridName;

    public override string Description => _fusion is not null
        ? $"{_fusion.Description}; GetOrSetAsync, stampede protection in process (no distributed locker)"
        : $"{_hybrid!.Description}; GetOrCreateAsync, stampede protection in process";

    public override string ClearMethod => _fusion is not null
        ? "RemoveByTagAsync(tenant tag) once, by the coordinator: the tag's expiration is written to memcached, and with the memory level skipped every read checks it there, so every process sees it"
        : "RemoveByTagAsync(tenant tag) in every worker on its own instance: HybridCache reads a tag's invalidation time from the distributed cache once per process and keeps it (dotnet/extensions#7411), so one process's clear is not seen by the others";

    public override bool ClearIsFleetWide => _fusion is not null;

    public override ValueTask<string> GetOrCreateAsync(int index, Func<CancellationToken, ValueTask<string>> factory) =>
        _fusion is not null ? _fusion.GetOrCreateAsync(Tenant, Key(index), factory) : _hybrid!.GetOrCreateAsync(Tenant, Key(index), factory);

    public override ValueTask ClearAsync() => _fusion is not null ? _fusion.ClearTenantAsync(Tenant) : _hybrid!.ClearTenantAsync(Tenant);

    public override ValueTask DisposeAsync() => _fusion is not null ? _fusion.DisposeAsync() : _hybrid!.DisposeAsync();
}
