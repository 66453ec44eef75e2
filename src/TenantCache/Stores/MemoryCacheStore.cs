using static TenantCache.Stores.StoreArguments;
namespace TenantCache.Stores;

/// <summary>
/// The in-process <see cref="ICacheStore"/>: behaves like one memcached server, with a byte budget,
/// least-recently-used eviction, lazy expiry, CAS values with client flags, and recompute leases. The
/// engine uses it by default and in tests.
/// </summary>
/// <remarks>
/// <para>Every item costs <see cref="ItemCost"/> bytes: key length + value length +
/// <see cref="ItemOverheadBytes"/>. The total never exceeds <see cref="MemoryCacheStoreOptions.MaxBytes"/>;
/// a write that would go past it first evicts the least recently used items (a read hit or a touch
/// makes an item recent; a failed add or replace does not).</para>
/// <para><see cref="MaxValueLength"/> is <see cref="MemoryCacheStoreOptions.MaxItemBytes"/> minus
/// <see cref="MaxKeyLength"/> minus <see cref="ItemOverheadBytes"/>, whatever the key's actual length,
/// so the limit is the same for every key (1,048,262 bytes with the defaults).</para>
/// <para>Expiry uses the <see cref="TimeProvider"/>'s timestamps. Expired items are misses and are removed
/// when next looked at or when they reach the tail of the LRU list; until then they still count in
/// <see cref="Count"/> and <see cref="CurrentBytes"/>. A zero time to live stores nothing (the write
/// succeeds and the item is immediately expired).</para>
/// <para>Recompute leases (<see cref="ILeaseCacheStore"/>) follow memcached 1.6.18, but with exact
/// <see cref="TimeSpan"/> durations where memcached rounds to whole seconds. Every item has a lease-sent bit
/// and a stale bit. A lease read of a missing key stores an empty placeholder (client flags 0, a new CAS,
/// charged in the byte budget and counted like any item) that expires after the lease's duration, and wins
/// the lease; a lease read of a hit wins it when the lease has not been sent and the item is stale or (with
/// <see cref="StoreLease.RefreshBefore"/>) near its expiry. Like memcached, <em>every</em> read, with a
/// lease request or without, reports <see cref="StoreLeaseState.Held"/> while the lease-sent bit is set and
/// <see cref="StoreLeaseState.Stale"/> while the stale bit is; only a lease read wins. Any successful write
/// (set, add, replace, compare-and-swap) stores a new item and so clears both bits; a placeholder is an
/// item (an add fails while it lives); a touch keeps the bits and the CAS; expiry removes the item with
/// its bits.</para>
/// <para>All members are thread-safe and complete synchronously. Argument errors are thrown; an
/// already-cancelled token yields a cancelled task.</para>
/// </remarks>
public sealed partial class MemoryCacheStore : ILeaseCacheStore
{
    /// <summary>The longest key, in characters (memcached's limit).</summary>
    public const int MaxKeyLength = 250;

    /// <summary>The fixed bytes charged per item on top of its key and value.</summary>
    public const int ItemOverheadBytes = 64;

    private const long NoExpiry = long.MaxValue;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly long _maxBytes;
    private long _currentBytes;
    private long _evictions;
    private ulong _lastCas;

    /// <summary>Creates an empty store.</summary>
    /// <param name="options">Size limits; <see langword="null"/> for the defaults. Validated and copied.</param>
    /// <param name="timeProvider">The clock for expiry; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid (the exception names the property).</exception>
    public MemoryCacheStore(MemoryCacheStoreOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= new MemoryCacheStoreOptions();
        options.Validate();
        _maxBytes = options.MaxBytes;
        MaxItemBytes = options.MaxItemBytes;
        MaxValueLength = options.MaxItemBytes - MaxKeyLength - ItemOverheadBytes;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    /// <remarks><see cref="MaxItemBytes"/> − <see cref="MaxKeyLength"/> − <see cref="ItemOverheadBytes"/>.</remarks>
    public int MaxValueLength { get; }

    /// <summary>The byte budget (<see cref="MemoryCacheStoreOptions.MaxBytes"/>).</summary>
    public long MaxBytes => _maxBytes;

    /// <summary>The largest item cost accepted (<see cref="MemoryCacheStoreOptions.MaxItemBytes"/>).</summary>
    public int MaxItemBytes { get; }

    /// <summary>The bytes an item is charged: <paramref name="keyLength"/> + <paramref name="valueLength"/> + <see cref="ItemOverheadBytes"/>.</summary>
    /// <param name="keyLength">The key's length in characters (one byte each).</param>
    /// <param name="valueLength">The value's length in bytes.</param>
    public static long ItemCost(int keyLength, int valueLength) => (long)keyLength + valueLength + ItemOverheadBytes;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">Invalid key, value longer than <see cref="MaxValueLength"/>,
    /// unknown mode or negative expiry; nothing is changed.</exception>
    public ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, CancellationToken cancellationToken = default) =>
        SetAsync(key, value, mode, expiry, flags: 0, cas: 0, cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">As for the other overload, or a CAS given with a mode other than <see cref="StoreSetMode.Set"/>.</exception>
    public ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, uint flags, ulong cas, CancellationToken cancellationToken = default)
    {
        ValidateKey(key, nameof(key));
        if (cas != 0 && mode != StoreSetMode.Set)
        {
            throw new ArgumentException("A compare-and-swap write must use StoreSetMode.Set.", nameof(mode));
        }

        if (value.Length > MaxValueLength)
        {
            throw new ArgumentException($"The value is {value.Length} bytes; this store accepts at most {MaxValueLength} (MaxValueLength).", nameof(value));
        }

        if (mode is not (StoreSetMode.Set or StoreSetMode.Add or StoreSetMode.Replace))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown store set mode.");
        }

        ValidateExpiry(expiry);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<StoreSetResult>(cancellationToken);
        }

        var now = _timeProvider.GetTimestamp();
        var expiresAt = ExpiresAt(now, expiry);
        var copy = value.ToArray(); // copy: callers reuse their buffers
        lock (_lock)
        {
            var existing = FindLive(key, now);
            if (cas != 0 && (existing is null || existing.Cas != cas))
            {
                return new ValueTask<StoreSetResult>(StoreSetResult.Conflict);
            }

            var allowed = mode switch
            {
                StoreSetMode.Add => existing is null,
                StoreSetMode.Replace => existing is not null,
                _ => true,
            };
            if (!allowed)
            {
                return new ValueTask<StoreSetResult>(StoreSetResult.NotStored);
            }

            if (existing is not null)
            {
                Remove(existing);
            }

            var entry = new Entry(key, copy, expiresAt, flags, ++_lastCas);
            if (expiresAt > now)
            {
                Insert(entry, now);
            }
        }

        return new ValueTask<StoreSetResult>(StoreSetResult.Stored);
    }

    /// <inheritdoc/>
    /// <remarks>An expired item does not exist: deleting it returns <see langword="false"/>.</remarks>
    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ValidateKey(key, nameof(key));
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }

        var now = _timeProvider.GetTimestamp();
        lock (_lock)
        {
            var entry = FindLive(key, now);
            if (entry is null)
            {
                return new ValueTask<bool>(false);
            }

            Remove(entry);
        }

        return new ValueTask<bool>(true);
    }

    /// <inheritdoc/>
    /// <remarks>The item becomes the most recently used. <see langword="null"/> removes its expiry.</remarks>
    public ValueTask<bool> TouchAsync(string key, TimeSpan? expiry, CancellationToken cancellationToken = default)
    {
        ValidateKey(key, nameof(key));
        ValidateExpiry(expiry);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }

        var now = _timeProvider.GetTimestamp();
        var expiresAt = ExpiresAt(now, expiry);
        lock (_lock)
        {
            var entry = FindLive(key, now);
            if (entry is null)
            {
                return new ValueTask<bool>(false);
            }

            if (expiresAt > now)
            {
                entry.ExpiresAt = expiresAt;
                MoveToFront(entry);
            }
            else
            {
                Remove(entry);
            }
        }

        return new ValueTask<bool>(true);
    }

    /// <summary>The timestamp at which an item written at <paramref name="now"/> expires.</summary>
    private long ExpiresAt(long now, TimeSpan? expiry)
    {
        if (expiry is not { } ttl)
        {
            return NoExpiry;
        }

        if (ttl == TimeSpan.Zero)
        {
            return now;
        }

        var delta = (Int128)ttl.Ticks * _timeProvider.TimestampFrequency / TimeSpan.TicksPerSecond;
        var at = now + Int128.Max(delta, 1);
        return at >= NoExpiry ? NoExpiry : (long)at;
    }
}
