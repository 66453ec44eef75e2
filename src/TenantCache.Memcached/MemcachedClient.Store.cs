using TenantCache.Memcached.Internal;
using TenantCache.Memcached.Protocol;

namespace TenantCache.Memcached;

/// <summary>Writes: set, add, replace, compare-and-swap, delete.</summary>
public sealed partial class MemcachedClient
{
    /// <summary>Stores a value unconditionally.</summary>
    public ValueTask<MemcachedStoreResult> SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? ttl = null, uint clientFlags = 0, CancellationToken cancellationToken = default) =>
        StoreAsync(MemcachedStoreMode.Set, key, value, ttl, clientFlags, 0, cancellationToken);

    /// <summary>Stores a value only if the key does not exist (<see cref="MemcachedStoreResult.NotStored"/> otherwise).</summary>
    public ValueTask<MemcachedStoreResult> AddAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? ttl = null, uint clientFlags = 0, CancellationToken cancellationToken = default) =>
        StoreAsync(MemcachedStoreMode.Add, key, value, ttl, clientFlags, 0, cancellationToken);

    /// <summary>Stores a value only if the key exists (<see cref="MemcachedStoreResult.NotStored"/> otherwise).</summary>
    public ValueTask<MemcachedStoreResult> ReplaceAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? ttl = null, uint clientFlags = 0, CancellationToken cancellationToken = default) =>
        StoreAsync(MemcachedStoreMode.Replace, key, value, ttl, clientFlags, 0, cancellationToken);

    /// <summary>
    /// Stores a value only if the item still has CAS token <paramref name="cas"/>
    /// (<see cref="MemcachedStoreResult.Exists"/> if it changed, <see cref="MemcachedStoreResult.NotFound"/> if gone).
    /// </summary>
    public ValueTask<MemcachedStoreResult> CompareAndSwapAsync(string key, ReadOnlyMemory<byte> value, ulong cas, TimeSpan? ttl = null, uint clientFlags = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfZero(cas);
        return StoreAsync(MemcachedStoreMode.Set, key, value, ttl, clientFlags, cas, cancellationToken);
    }

    /// <summary>Stores a value (<c>ms</c>) with a mode, TTL (null: no expiry), client flags and optional CAS (0: none).</summary>
    /// <exception cref="ArgumentException">Invalid key, value larger than the server accepts, or TTL out of range; nothing is sent.</exception>
    public async ValueTask<MemcachedStoreResult> StoreAsync(
        MemcachedStoreMode mode,
        string key,
        ReadOnlyMemory<byte> value,
        TimeSpan? ttl = null,
        uint clientFlags = 0,
        ulong cas = 0,
        CancellationToken cancellationToken = default)
    {
        MetaKey.Validate(key);
        var wireTtl = MetaTtl.ToWire(ttl, _timeProvider, nameof(ttl));
        var wireMode = mode switch
        {
            MemcachedStoreMode.Set => MetaStoreMode.Set,
            MemcachedStoreMode.Add => MetaStoreMode.Add,
            MemcachedStoreMode.Replace => MetaStoreMode.Replace,
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown store mode."),
        };
        ThrowIfDisposed();
        var node = NodeFor(key);
        var started = _timeProvider.GetTimestamp();
        if (!node.HasSettings)
        {
            // The size limit is the server's: learn it (first connection) within the call's deadline.
            await node.AcquireAsync(node.OperationTimeout, cancellationToken).ConfigureAwait(false);
        }

        EnsureFits(node.ItemSizeMax, key, value.Length, clientFlags);
        var maxValueLength = ItemLimits.MaxValueLength(node.ItemSizeMax, key.Length, clientFlags);
        var request = BuildStore(key, value.Span, maxValueLength, wireMode, wireTtl, clientFlags, cas);
        var response = await node.SendAsync(request, cancellationToken, started).ConfigureAwait(false);
        return response.Kind switch
        {
            MetaReplyKind.Success => MemcachedStoreResult.Stored,
            MetaReplyKind.NotStored => MemcachedStoreResult.NotStored,
            MetaReplyKind.Exists => MemcachedStoreResult.Exists,
            MetaReplyKind.NotFound => MemcachedStoreResult.NotFound,
            _ => throw Unexpected(response, node.Endpoint),
        };
    }

    /// <summary>Deletes a key (<c>md</c>). True when it existed.</summary>
    public async ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        MetaKey.Validate(key);
        ThrowIfDisposed();
        var node = NodeFor(key);
        var request = BuildDelete(key);
        var response = await node.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Kind switch
        {
            MetaReplyKind.Success => true,
            MetaReplyKind.NotFound => false,
            _ => throw Unexpected(response, node.Endpoint),
        };
    }

    private static void EnsureFits(int itemSizeMax, string key, int value, uint clientFlags)
    {
        var max = ItemLimits.MaxValueLength(itemSizeMax, key.Length, clientFlags);
        if (value > max)
        {
            throw new ArgumentException(
                $"The value is {value} bytes; the server accepts at most {max} bytes for this key (item_size_max {itemSizeMax} less the item header).",
                nameof(value));
        }
    }
}
