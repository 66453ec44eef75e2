using Microsoft.Extensions.Caching.Distributed;
using TenantCache.Memcached.Internal;

namespace TenantCache.Memcached;

/// <summary>
/// <see cref="IDistributedCache"/> over memcached. Absolute and relative expirations map to the
/// item's TTL; a sliding window is kept in a small header so that reads and <c>Refresh</c> extend it
/// (never past the absolute expiry). Keys that are not valid memcached keys are replaced by their
/// SHA-256 digest.
/// </summary>
public sealed class MemcachedDistributedCache : IDistributedCache
{
    private readonly MemcachedClient _client;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the adapter over a shared client.</summary>
    public MemcachedDistributedCache(MemcachedClient client, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    /// <inheritdoc/>
    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        string memcachedKey = DistributedCacheEntry.KeyFor(key);
        MemcachedItem item = await _client.GetAsync(memcachedKey, token).ConfigureAwait(false);
        if (!item.Found || !DistributedCacheEntry.TryDecode(item.Value.Span, out DateTimeOffset? absolute, out TimeSpan? sliding))
        {
            return null;
        }

        await SlideAsync(memcachedKey, absolute, sliding, token).ConfigureAwait(false);
        return item.Value[DistributedCacheEntry.HeaderLength..].ToArray();
    }

    /// <inheritdoc/>
    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) =>
        SetAsync(key, value, options).GetAwaiter().GetResult();

    /// <inheritdoc/>
    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        string memcachedKey = DistributedCacheEntry.KeyFor(key);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        DateTimeOffset? absolute = options.AbsoluteExpiration;
        if (options.AbsoluteExpirationRelativeToNow is { } relative)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(relative, TimeSpan.Zero, nameof(options));
            absolute = now + relative;
        }

        if (absolute <= now)
        {
            throw new ArgumentOutOfRangeException(nameof(options), absolute, "The absolute expiration value must be in the future.");
        }

        TimeSpan? sliding = options.SlidingExpiration;
        if (sliding is { } window && window <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), window, "The sliding expiration value must be positive.");
        }

        byte[] entry = DistributedCacheEntry.Encode(value, absolute, sliding);
        await _client.SetAsync(memcachedKey, entry, DistributedCacheEntry.TtlAt(now, absolute, sliding), 0, token).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Refresh(string key) => RefreshAsync(key).GetAwaiter().GetResult();

    /// <inheritdoc/>
    public async Task RefreshAsync(string key, CancellationToken token = default)
    {
        string memcachedKey = DistributedCacheEntry.KeyFor(key);
        MemcachedItem item = await _client.GetAsync(memcachedKey, token).ConfigureAwait(false);
        if (item.Found && DistributedCacheEntry.TryDecode(item.Value.Span, out DateTimeOffset? absolute, out TimeSpan? sliding))
        {
            await SlideAsync(memcachedKey, absolute, sliding, token).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    /// <inheritdoc/>
    public async Task RemoveAsync(string key, CancellationToken token = default) =>
        await _client.DeleteAsync(DistributedCacheEntry.KeyFor(key), token).ConfigureAwait(false);

    private async ValueTask SlideAsync(string memcachedKey, DateTimeOffset? absolute, TimeSpan? sliding, CancellationToken token)
    {
        if (sliding is null)
        {
            return;
        }

        TimeSpan? ttl = DistributedCacheEntry.TtlAt(_timeProvider.GetUtcNow(), absolute, sliding);
        if (ttl > TimeSpan.Zero)
        {
            await _client.TouchAsync(memcachedKey, ttl, token).ConfigureAwait(false);
        }
    }
}
