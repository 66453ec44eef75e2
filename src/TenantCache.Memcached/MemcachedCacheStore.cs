using System.Buffers;
using Microsoft.Extensions.Logging;
using TenantCache.Memcached.Protocol;
using TenantCache.Stores;

namespace TenantCache.Memcached;

/// <summary>
/// The TenantCache store port over memcached: batched reads grouped per server, set/add/replace
/// (<c>ms</c>, <c>ME</c>, <c>MR</c>), delete and touch, CAS and client flags (<see cref="ICasCacheStore"/>),
/// and memcached's own recompute leases (<see cref="ILeaseCacheStore"/>: <c>mg … N R</c>, <c>md … I</c>). Transport and server failures surface as
/// <see cref="MemcachedException"/> (a <see cref="CacheStoreException"/>); the engine turns them into
/// misses. A down server's keys fail; they never move to another server.
/// </summary>
/// <remarks>
/// memcached counts time to live in whole seconds on a clock that ticks once a second, so a TTL of
/// N seconds lasts between N - 1 and N seconds. This store therefore sends one second more than
/// asked (rounded up): an item is never gone before its time to live, and is gone at most
/// 2 seconds after it (1 second for whole-second TTLs). The engine checks every absolute deadline
/// itself, in milliseconds, so the padding never serves an entry late.
/// </remarks>
public sealed partial class MemcachedCacheStore : ILeaseCacheStore, IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan ClockTick = TimeSpan.FromSeconds(1);
    private readonly bool _ownsClient;

    /// <summary>Creates a store over a shared client, which the store does not dispose.</summary>
    public MemcachedCacheStore(MemcachedClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        Client = client;
    }

    /// <summary>Creates a store with its own client, disposed with the store.</summary>
    public MemcachedCacheStore(MemcachedOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        Client = new MemcachedClient(options, loggerFactory, timeProvider);
        _ownsClient = true;
    }

    /// <summary>The client this store uses.</summary>
    public MemcachedClient Client { get; }

    /// <summary>
    /// The largest value accepted under any key: the smallest <c>item_size_max</c> known (1 MiB before
    /// the first connection) less the item header, a 250-byte key and client flags.
    /// </summary>
    public int MaxValueLength => Client.MaxValueLength;

    /// <inheritdoc/>
    public async ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, CancellationToken cancellationToken = default)
    {
        if (results.Length < keys.Length)
        {
            throw new ArgumentException("results must be at least as long as keys.", nameof(results));
        }

        var items = ArrayPool<MemcachedItem>.Shared.Rent(keys.Length);
        try
        {
            await Client.GetManyAsync(keys, items.AsMemory(0, keys.Length), cancellationToken).ConfigureAwait(false);
            var span = results.Span;
            for (var i = 0; i < keys.Length; i++)
            {
                span[i] = items[i].Found ? new StoreItem(items[i].Value, items[i].Cas, items[i].ClientFlags, items[i].Lease) : StoreItem.Missing; // W/Z/X come unasked
            }
        }
        finally
        {
            ArrayPool<MemcachedItem>.Shared.Return(items, clearArray: true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, CancellationToken cancellationToken = default) =>
        SetAsync(key, value, mode, expiry, flags: 0, cas: 0, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, uint flags, ulong cas, CancellationToken cancellationToken = default)
    {
        if (cas != 0 && mode != StoreSetMode.Set)
        {
            throw new ArgumentException("A compare-and-swap write must use StoreSetMode.Set.", nameof(mode));
        }

        var storeMode = mode switch
        {
            StoreSetMode.Set => MemcachedStoreMode.Set,
            StoreSetMode.Add => MemcachedStoreMode.Add,
            StoreSetMode.Replace => MemcachedStoreMode.Replace,
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown store mode."),
        };
        var result = await Client.StoreAsync(storeMode, key, value, WireExpiry(expiry), flags, cas, cancellationToken).ConfigureAwait(false);
        return result switch
        {
            MemcachedStoreResult.Stored => StoreSetResult.Stored,
            MemcachedStoreResult.Exists or MemcachedStoreResult.NotFound when cas != 0 => StoreSetResult.Conflict,
            _ => StoreSetResult.NotStored,
        };
    }

    /// <inheritdoc/>
    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        Client.DeleteAsync(key, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> TouchAsync(string key, TimeSpan? expiry, CancellationToken cancellationToken = default) =>
        Client.TouchAsync(key, WireExpiry(expiry), cancellationToken);

    /// <summary>
    /// A positive expiry plus the one second memcached's clock may cut from it (see the remarks).
    /// An expiry past what memcached can represent (2038) means "never" here, as in the in-process
    /// store; zero stays "already expired"; negative expiries are still rejected by the client.
    /// </summary>
    private TimeSpan? WireExpiry(TimeSpan? expiry)
    {
        if (expiry is not { } ttl || ttl <= TimeSpan.Zero)
        {
            return expiry;
        }

        if (ttl >= TimeSpan.MaxValue - ClockTick)
        {
            return null;
        }

        var padded = ttl + ClockTick;
        return MetaTtl.IsRepresentable(padded, Client.TimeProvider) ? padded : null;
    }

    /// <summary>Disposes the client if this store created it.</summary>
    public ValueTask DisposeAsync() => _ownsClient ? Client.DisposeAsync() : ValueTask.CompletedTask;

    /// <summary>Disposes the client if this store created it.</summary>
    public void Dispose()
    {
        if (_ownsClient)
        {
            Client.Dispose();
        }
    }
}
