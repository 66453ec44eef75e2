using TenantCache.Stores;
using TenantCache.Tests.Support;

namespace TenantCache.Tests.Check;

/// <summary>
/// Loses invalidations: a version key, once created, is never replaced (sets to it, blind or
/// compare-and-swap, are acknowledged and dropped).
/// </summary>
internal sealed class LostInvalidationStore(ILeaseCacheStore inner) : LeaseDelegatingStore(inner)
{
    public override ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, CancellationToken cancellationToken = default) =>
        IsVersionKey(key) && mode == StoreSetMode.Set
            ? ValueTask.FromResult(StoreSetResult.Stored)
            : base.SetAsync(key, value, mode, expiry, cancellationToken);

    public override ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, uint flags, ulong cas, CancellationToken cancellationToken = default) =>
        IsVersionKey(key) && mode == StoreSetMode.Set
            ? ValueTask.FromResult(StoreSetResult.Stored)
            : base.SetAsync(key, value, mode, expiry, flags, cas, cancellationToken);
}

/// <summary>Silently drops one data write in <paramref name="oneIn"/> while acknowledging it (a lease's write-back is a CAS write: dropped alike).</summary>
internal sealed class DroppingStore(ILeaseCacheStore inner, int oneIn) : LeaseDelegatingStore(inner)
{
    private int _writes;

    public override ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, CancellationToken cancellationToken = default) =>
        Drop(key) ? ValueTask.FromResult(StoreSetResult.Stored) : base.SetAsync(key, value, mode, expiry, cancellationToken);

    public override ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, uint flags, ulong cas, CancellationToken cancellationToken = default) =>
        Drop(key) ? ValueTask.FromResult(StoreSetResult.Stored) : base.SetAsync(key, value, mode, expiry, flags, cas, cancellationToken);

    private bool Drop(string key) => IsDataKey(key) && Interlocked.Increment(ref _writes) % oneIn == 0;
}

/// <summary>Flips one bit of the last payload byte of one data read in <paramref name="oneIn"/> (bytes corrupted in transit), lease reads and marks included.</summary>
internal sealed class CorruptingStore(ILeaseCacheStore inner, int oneIn) : LeaseDelegatingStore(inner)
{
    private int _reads;

    public override async ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, CancellationToken cancellationToken = default)
    {
        await base.GetManyAsync(keys, results, cancellationToken);
        Corrupt(keys, results);
    }

    public override async ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas, CancellationToken cancellationToken = default)
    {
        await base.GetManyAsync(keys, results, knownCas, cancellationToken);
        Corrupt(keys, results);
    }

    public override async ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas, StoreLease lease, CancellationToken cancellationToken = default)
    {
        await base.GetManyAsync(keys, results, knownCas, lease, cancellationToken);
        Corrupt(keys, results);
    }

    public override async ValueTask<StoreItem> MarkStaleAsync(string key, ulong cas, TimeSpan staleFor, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        var item = new[] { await base.MarkStaleAsync(key, cas, staleFor, leaseDuration, cancellationToken) };
        Corrupt(new[] { key }, item);
        return item[0];
    }

    private void Corrupt(ReadOnlyMemory<string> keys, Memory<StoreItem> results)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            var item = results.Span[i];
            if (item.Found && IsDataKey(keys.Span[i]) && item.Value.Length > 0 && Interlocked.Increment(ref _reads) % oneIn == 0)
            {
                var copy = item.Value.ToArray();
                copy[^20] ^= 1; // inside the value's padding or checksum: still valid UTF-8
                results.Span[i] = new StoreItem(copy, item.Cas, item.Flags, item.Lease);
            }
        }
    }
}

/// <summary>Keeps the test's output readable in failure messages.</summary>
internal static class ReportText
{
    public static string Of(TenantCache.Cli.Check.CheckResult result)
    {
        using var writer = new StringWriter();
        result.Summary.Write(writer, result, show: 3);
        return writer.ToString();
    }
}

/// <summary>While <see cref="Slow"/> is set, every store call first waits a millisecond (a slow network): the lease calls too.</summary>
internal sealed class SlowStore(ILeaseCacheStore inner) : LeaseDelegatingStore(inner)
{
    public volatile bool Slow;

    public override async ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, CancellationToken cancellationToken = default)
    {
        await DelayAsync(cancellationToken);
        await base.GetManyAsync(keys, results, cancellationToken);
    }

    public override async ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas, CancellationToken cancellationToken = default)
    {
        await DelayAsync(cancellationToken);
        await base.GetManyAsync(keys, results, knownCas, cancellationToken);
    }

    public override async ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, CancellationToken cancellationToken = default)
    {
        await DelayAsync(cancellationToken);
        return await base.SetAsync(key, value, mode, expiry, cancellationToken);
    }

    public override async ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, uint flags, ulong cas, CancellationToken cancellationToken = default)
    {
        await DelayAsync(cancellationToken);
        return await base.SetAsync(key, value, mode, expiry, flags, cas, cancellationToken);
    }

    public override async ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas, StoreLease lease, CancellationToken cancellationToken = default)
    {
        await DelayAsync(cancellationToken);
        await base.GetManyAsync(keys, results, knownCas, lease, cancellationToken);
    }

    public override async ValueTask<StoreItem> MarkStaleAsync(string key, ulong cas, TimeSpan staleFor, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        await DelayAsync(cancellationToken);
        return await base.MarkStaleAsync(key, cas, staleFor, leaseDuration, cancellationToken);
    }

    public override async ValueTask<bool> DeleteAsync(string key, ulong cas, CancellationToken cancellationToken = default)
    {
        await DelayAsync(cancellationToken);
        return await base.DeleteAsync(key, cas, cancellationToken);
    }

    private async ValueTask DelayAsync(CancellationToken cancellationToken)
    {
        if (Slow)
        {
            await Task.Delay(1, cancellationToken);
        }
    }
}

/// <summary>An in-process <see cref="TenantCache.Harness.Faults.IFault"/> that turns a flag on and off, counting its starts.</summary>
internal sealed class SwitchFault(string name, Action<bool> turn) : TenantCache.Harness.Faults.IFault
{
    public int Started { get; private set; }

    public int Stopped { get; private set; }

    public string Name => name;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Started++;
        turn(true);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Stopped++;
        turn(false);
        return Task.CompletedTask;
    }
}
