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
/// <see cref="ICasCacheStore"/>, so a wrapper that hid it would silently turn the window off. Over a store
/// with recompute leases it returns a <see cref="LeaseCountingStore"/>, for the same reason: the engine takes
/// leases only when the store object it is given implements <see cref="ILeaseCacheStore"/>.
/// Data writes are timed (<see cref="Operation.DataWrittenAt"/>): a get-or-create may write its value back
/// after it returned (stale served, soft timeout), and the judge must know when.
/// </remarks>
internal class CountingStore : ICacheStore
{
    protected CountingStore(ICacheStore inner, KeyCensus census, StoreActivity? activity)
    {
        Inner = inner;
        Census = census;
        Activity = activity ?? new StoreActivity();
    }

    public ICacheStore Inner { get; }

    /// <summary>The distinct version keys read in the run, shared by every process's store.</summary>
    public KeyCensus Census { get; }

    /// <summary>The calls in flight through every process's store of the run (to wait for background write-backs).</summary>
    public StoreActivity Activity { get; }

    public int MaxValueLength => Inner.MaxValueLength;

    /// <summary>A counting store over <paramref name="inner"/>, with CAS and flags, and leases, exactly when it has them.</summary>
    public static CountingStore Over(ICacheStore inner, KeyCensus census, StoreActivity? activity = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(census);
        return inner switch
        {
            ILeaseCacheStore lease => new LeaseCountingStore(lease, census, activity),
            ICasCacheStore cas => new CasCountingStore(cas, census, activity),
            _ => new CountingStore(inner, census, activity),
        };
    }

    public ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, CancellationToken cancellationToken = default)
    {
        Count(keys.Span);
        return Activity.Track(Inner.GetManyAsync(keys, results, cancellationToken));
    }

    public ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, CancellationToken cancellationToken = default) =>
        Timed(key, Inner.SetAsync(key, value, mode, expiry, cancellationToken));

    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        Activity.Track(Inner.DeleteAsync(key, cancellationToken));

    public ValueTask<bool> TouchAsync(string key, TimeSpan? expiry, CancellationToken cancellationToken = default) =>
        Activity.Track(Inner.TouchAsync(key, expiry, cancellationToken));

    /// <summary>Whether a store key is a version key: <c>{app}:v:…</c> (scope) or <c>{app}:t:…</c> (tag); data keys are <c>{app}:d:…</c>.</summary>
    public static bool IsVersionKey(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 && colon + 2 < key.Length && key[colon + 2] == ':' && key[colon + 1] is 'v' or 't';
    }

    /// <summary>A write, tracked; a data write is timed on the operation running it (<see cref="OperationLogger.Current"/>).</summary>
    protected ValueTask<StoreSetResult> Timed(string key, ValueTask<StoreSetResult> write) =>
        OperationLogger.Current.Value is { } op && !IsVersionKey(key) ? TimedAsync(op, write) : Activity.Track(write);

    private async ValueTask<StoreSetResult> TimedAsync(Operation op, ValueTask<StoreSetResult> write)
    {
        try
        {
            var result = await Activity.Track(write);
            op.DataWritten(System.Diagnostics.Stopwatch.GetTimestamp());
            return result;
        }
        catch
        {
            op.DataWriteUnknown = true; // it may still land (a paused node executes what it had buffered)
            throw;
        }
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
internal class CasCountingStore : CountingStore, ICasCacheStore
{
    private readonly ICasCacheStore _cas;

    public CasCountingStore(ICasCacheStore inner, KeyCensus census, StoreActivity? activity = null)
        : base(inner, census, activity) => _cas = inner;

    public ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas, CancellationToken cancellationToken = default)
    {
        Count(keys.Span);
        return Activity.Track(_cas.GetManyAsync(keys, results, knownCas, cancellationToken));
    }

    public ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, uint flags, ulong cas, CancellationToken cancellationToken = default) =>
        Timed(key, _cas.SetAsync(key, value, mode, expiry, flags, cas, cancellationToken));
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
