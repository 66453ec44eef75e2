using TenantCache.Stores;
using TenantCache.Tests.Support;

namespace TenantCache.Tests.Check;

/// <summary>Loses invalidations: a version key, once created, is never replaced (blind sets to it are acknowledged and dropped).</summary>
internal sealed class LostInvalidationStore(ICacheStore inner) : DelegatingStore(inner)
{
    public override ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, CancellationToken cancellationToken = default) =>
        IsVersionKey(key) && mode == StoreSetMode.Set
            ? ValueTask.FromResult(StoreSetResult.Stored)
            : base.SetAsync(key, value, mode, expiry, cancellationToken);
}

/// <summary>Silently drops one data write in <paramref name="oneIn"/> while acknowledging it.</summary>
internal sealed class DroppingStore(ICacheStore inner, int oneIn) : DelegatingStore(inner)
{
    private int _writes;

    public override ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, CancellationToken cancellationToken = default) =>
        IsDataKey(key) && Interlocked.Increment(ref _writes) % oneIn == 0
            ? ValueTask.FromResult(StoreSetResult.Stored)
            : base.SetAsync(key, value, mode, expiry, cancellationToken);
}

/// <summary>Flips one bit of the last payload byte of one data read in <paramref name="oneIn"/> (bytes corrupted in transit).</summary>
internal sealed class CorruptingStore(ICacheStore inner, int oneIn) : DelegatingStore(inner)
{
    private int _reads;

    public override async ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, CancellationToken cancellationToken = default)
    {
        await base.GetManyAsync(keys, results, cancellationToken);
        for (var i = 0; i < keys.Length; i++)
        {
            var item = results.Span[i];
            if (item.Found && IsDataKey(keys.Span[i]) && item.Value.Length > 0 && Interlocked.Increment(ref _reads) % oneIn == 0)
            {
                var copy = item.Value.ToArray();
                copy[^20] ^= 1; // inside the value's padding or checksum: still valid UTF-8
                results.Span[i] = new StoreItem(copy);
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

/// <summary>While <see cref="Slow"/> is set, every store call first waits a millisecond (a slow network).</summary>
internal sealed class SlowStore(ICacheStore inner) : DelegatingStore(inner)
{
    public volatile bool Slow;

    public override async ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, CancellationToken cancellationToken = default)
    {
        if (Slow)
        {
            await Task.Delay(1, cancellationToken);
        }

        await base.GetManyAsync(keys, results, cancellationToken);
    }

    public override async ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, CancellationToken cancellationToken = default)
    {
        if (Slow)
        {
            await Task.Delay(1, cancellationToken);
        }

        return await base.SetAsync(key, value, mode, expiry, cancellationToken);
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
