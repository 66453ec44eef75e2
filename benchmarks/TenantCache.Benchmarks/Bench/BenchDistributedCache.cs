using Microsoft.Extensions.Caching.Distributed;
using TenantCache.Memcached;

namespace TenantCache.Benchmarks.Bench;

/// <summary>
/// Bench harness only, never for applications (they use <c>AddTenantCache(...).WithMemcached(...)
/// .AsDistributedCache()</c>): the plain <see cref="IDistributedCache"/> the FusionCache and HybridCache
/// contenders run over, one <c>mg</c> per get and bare keys, so that they are measured on their own
/// design rather than on TenantCache's engine. It was the product's <c>MemcachedDistributedCache</c>
/// and keeps its known limits: keys are not isolated per application, expirations are whole seconds
/// on memcached's clock, the <see cref="TimeProvider"/> only computes TTLs, large values throw the
/// server's error.
/// </summary>
internal sealed class BenchDistributedCache : IDistributedCache
{
    private readonly MemcachedClient _client;
    private readonly TimeProvider _timeProvider;

    public BenchDistributedCache(MemcachedClient client, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        var memcachedKey = BenchDistributedCacheEntry.KeyFor(key);
        var item = await _client.GetAsync(memcachedKey, token).ConfigureAwait(false);
        if (!item.Found || !BenchDistributedCacheEntry.TryDecode(item.Value.Span, out var absolute, out var sliding))
        {
            return null;
        }

        await SlideAsync(memcachedKey, absolute, sliding, token).ConfigureAwait(false);
        return item.Value[BenchDistributedCacheEntry.HeaderLength..].ToArray();
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) =>
        SetAsync(key, value, options).GetAwaiter().GetResult();

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        var memcachedKey = BenchDistributedCacheEntry.KeyFor(key);
        var now = _timeProvider.GetUtcNow();
        var absolute = options.AbsoluteExpiration;
        if (options.AbsoluteExpirationRelativeToNow is { } relative)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(relative, TimeSpan.Zero, nameof(options));
            absolute = now + relative;
        }

        if (absolute <= now)
        {
            throw new ArgumentOutOfRangeException(nameof(options), absolute, "The absolute expiration value must be in the future.");
        }

        var sliding = options.SlidingExpiration;
        if (sliding is { } window && window <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), window, "The sliding expiration value must be positive.");
        }

        var entry = BenchDistributedCacheEntry.Encode(value, absolute, sliding);
        await _client.SetAsync(memcachedKey, entry, BenchDistributedCacheEntry.TtlAt(now, absolute, sliding), 0, token).ConfigureAwait(false);
    }

    public void Refresh(string key) => RefreshAsync(key).GetAwaiter().GetResult();

    public async Task RefreshAsync(string key, CancellationToken token = default)
    {
        var memcachedKey = BenchDistributedCacheEntry.KeyFor(key);
        var item = await _client.GetAsync(memcachedKey, token).ConfigureAwait(false);
        if (item.Found && BenchDistributedCacheEntry.TryDecode(item.Value.Span, out var absolute, out var sliding))
        {
            await SlideAsync(memcachedKey, absolute, sliding, token).ConfigureAwait(false);
        }
    }

    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    public async Task RemoveAsync(string key, CancellationToken token = default) =>
        await _client.DeleteAsync(BenchDistributedCacheEntry.KeyFor(key), token).ConfigureAwait(false);

    private async ValueTask SlideAsync(string memcachedKey, DateTimeOffset? absolute, TimeSpan? sliding, CancellationToken token)
    {
        if (sliding is null)
        {
            return;
        }

        var ttl = BenchDistributedCacheEntry.TtlAt(_timeProvider.GetUtcNow(), absolute, sliding);
        if (ttl > TimeSpan.Zero)
        {
            await _client.TouchAsync(memcachedKey, ttl, token).ConfigureAwait(false);
        }
    }
}
