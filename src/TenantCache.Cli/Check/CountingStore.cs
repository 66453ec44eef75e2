using System.Collections.Concurrent;
using TenantCache.Stores;

namespace TenantCache.Cli.Check;

/// <summary>
/// The store one simulated process talks to: it forwards every call to the run's shared store and
/// counts, for the checker operation running in the same asynchronous flow
/// (<see cref="OperationLogger.Current"/>), the version keys and data keys it read. A read that read no
/// version key used tokens its process already knew: that is how a run shows the reuse window at work.
/// </summary>
/// <remarks>
/// Over a store with CAS and flags, <see cref="Over"/> returns a <see cref="CasCountingStore"/>, which
/// passes both through: the engine reuses tokens only when the store object it is given implements
/// <see cref="ICasCacheStore"/>, so a wrapper that hid it would silently turn the window off.
/// </remarks>
internal class CountingStore : ICacheStore
{
    protected CountingStore(ICacheStore inner, KeyCensus census)
    {
        Inner = inner;
        Census = census;
    }

    public ICacheStore Inner { get; }

    /// <summary>The distinct version keys read in the run, shared by every process's store.</summary>
    public KeyCensus Census { get; }

    public int MaxValueLength => Inner.MaxValueLength;

    /// <summary>A counting store over <paramref name="inner"/>, with CAS and flags exactly when it has them.</summary>
    public static CountingStore Over(ICacheStore inner, KeyCensus census)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(census);
        return inner is ICasCacheStore cas ? new CasCountingStore(cas, census) : new CountingStore(inner, census);
    }

    public ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, CancellationToken cancellationToken = default)
    {
        Count(keys.Span);
        return Inner.GetManyAsync(keys, results, cancellationToken);
    }

    public ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, CancellationToken cancellationToken = default) =>
        Inner.SetAsync(key, value, mode, expiry, cancellationToken);

    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        Inner.DeleteAsync(key, cancellationToken);

    public ValueTask<bool> TouchAsync(string key, TimeSpan? expiry, CancellationToken cancellationToken = default) =>
        Inner.TouchAsync(key, expiry, cancellationToken);

    /// <summary>Whether a store key is a version key: <c>{app}:v:…</c> (scope) or <c>{app}:t:…</c> (tag); data keys are <c>{app}:d:…</c>.</summary>
    public static bool IsVersionKey(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 && colon + 2 < key.Length && key[colon + 2] == ':' && key[colon + 1] is 'v' or 't';
    }

    protected void Count(ReadOnlySpan<string> keys)
    {
        int versions = 0, data = 0;
        foreach (var key in keys)
        {
            if (IsVersionKey(key))
            {
                versions++;
                Census.Saw(key);
            }
            else
            {
                data++;
            }
        }

        if (OperationLogger.Current.Value is { } op)
        {
            Interlocked.Add(ref op.VersionKeysRead, versions);
            Interlocked.Add(ref op.DataKeysRead, data);
        }
    }
}

/// <summary>A <see cref="CountingStore"/> over a store with CAS and flags, passing both through (both reads, both writes).</summary>
internal sealed class CasCountingStore : CountingStore, ICasCacheStore
{
    private readonly ICasCacheStore _cas;

    public CasCountingStore(ICasCacheStore inner, KeyCensus census)
        : base(inner, census) => _cas = inner;

    public ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas, CancellationToken cancellationToken = default)
    {
        Count(keys.Span);
        return _cas.GetManyAsync(keys, results, knownCas, cancellationToken);
    }

    public ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, uint flags, ulong cas, CancellationToken cancellationToken = default) =>
        _cas.SetAsync(key, value, mode, expiry, flags, cas, cancellationToken);
}

/// <summary>
/// A store as a process of an older version sees it (<see cref="ProcessRole.Legacy"/>): no CAS, no flags.
/// Its engine therefore reads every token on every read and would invalidate blindly.
/// </summary>
internal sealed class LegacyStore(ICacheStore inner) : ICacheStore
{
    public ICacheStore Inner { get; } = inner;

    public int MaxValueLength => Inner.MaxValueLength;

    public ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, CancellationToken cancellationToken = default) =>
        Inner.GetManyAsync(keys, results, cancellationToken);

    public ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, CancellationToken cancellationToken = default) =>
        Inner.SetAsync(key, value, mode, expiry, cancellationToken);

    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => Inner.DeleteAsync(key, cancellationToken);

    public ValueTask<bool> TouchAsync(string key, TimeSpan? expiry, CancellationToken cancellationToken = default) => Inner.TouchAsync(key, expiry, cancellationToken);
}

/// <summary>The distinct version keys the processes of a run read: to verify the key layout the I4 rule places keys by.</summary>
internal sealed class KeyCensus
{
    private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);

    public ICollection<string> Keys => _seen.Keys;

    public void Saw(string key)
    {
        if (!_seen.ContainsKey(key))
        {
            _seen.TryAdd(key, 0);
        }
    }
}
