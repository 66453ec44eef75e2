using System.Collections.Concurrent;

namespace TenantCache.Internal;

/// <summary>The store step a failure happened in; with the exception's type, the cause it is rate-limited by.</summary>
internal enum StoreOperation
{
    Read = 0,
    TagRead = 1,
    TokenCreation = 2,
    Write = 3,
}

/// <summary>
/// Bounds the Warning lines a store outage writes: per cause (operation and exception type) the first
/// failure of every <see cref="Interval"/> is a Warning with the exception and the number of similar
/// failures since the previous Warning; the others are Debug lines without the stack trace. Counters
/// are not affected: every failure is still counted.
/// </summary>
internal sealed class StoreFailureLog
{
    /// <summary>How long the Warning of a cause holds back the next one.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<(StoreOperation, Type), Cause> _causes = new();
    private readonly TimeProvider _time;
    private readonly long _intervalTicks;

    public StoreFailureLog(TimeProvider time)
    {
        _time = time;
        _intervalTicks = (long)(Interval.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>
    /// Whether this failure is the cause's Warning. When it is, <paramref name="suppressed"/> is the count
    /// of similar failures since <paramref name="since"/> (the previous Warning; <see langword="null"/> for the first).
    /// </summary>
    public bool ShouldWarn(StoreOperation operation, Exception exception, out long suppressed, out DateTimeOffset? since)
    {
        var cause = _causes.GetOrAdd((operation, exception.GetType()), static _ => new Cause());
        var now = _time.GetTimestamp();
        var next = Volatile.Read(ref cause.NextWarningAt);
        if (now >= next && Interlocked.CompareExchange(ref cause.NextWarningAt, now + _intervalTicks, next) == next)
        {
            suppressed = Interlocked.Exchange(ref cause.Suppressed, 0);
            var previous = Interlocked.Exchange(ref cause.LastWarningUtcTicks, _time.GetUtcNow().UtcTicks);
            since = previous == 0 ? null : new DateTimeOffset(previous, TimeSpan.Zero);
            return true;
        }

        Interlocked.Increment(ref cause.Suppressed);
        suppressed = 0;
        since = null;
        return false;
    }

    private sealed class Cause
    {
        public long NextWarningAt = long.MinValue;
        public long Suppressed;
        public long LastWarningUtcTicks;
    }
}
