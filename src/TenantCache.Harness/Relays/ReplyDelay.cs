using System.Globalization;

namespace TenantCache.Harness.Relays;

/// <summary>
/// How a <see cref="DelayingRelay"/> holds back server-to-client bytes: every chunk read from the
/// server waits <see cref="Latency"/> (an added round-trip time), and a <see cref="LateFraction"/> of
/// chunks waits <see cref="LateDelay"/> instead (a slow reply). A chunk is one read from the server's
/// socket: one reply, or several pipelined replies that arrived together. Bytes are never reordered,
/// so the chunks behind a late one wait for it, as they would behind a slow reply on a real connection.
/// </summary>
/// <param name="Latency">Added to every chunk; zero for none.</param>
/// <param name="LateFraction">The share of chunks (0 to 1) held for <paramref name="LateDelay"/>.</param>
/// <param name="LateDelay">How long a late chunk is held (instead of <paramref name="Latency"/>, when longer).</param>
public sealed record ReplyDelay(TimeSpan Latency, double LateFraction = 0, TimeSpan LateDelay = default)
{
    /// <summary>No delay: a plain pipe.</summary>
    public static ReplyDelay None { get; } = new(TimeSpan.Zero);

    /// <summary>One chunk in <paramref name="every"/> held for <paramref name="delay"/>, the others not delayed.</summary>
    /// <param name="every">How many chunks per late one (1 or more).</param>
    /// <param name="delay">How long a late chunk is held.</param>
    /// <returns>The delay model.</returns>
    public static ReplyDelay OneIn(int every, TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        return new ReplyDelay(TimeSpan.Zero, 1.0 / every, delay);
    }

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Latency, TimeSpan.Zero, nameof(Latency));
        ArgumentOutOfRangeException.ThrowIfLessThan(LateDelay, TimeSpan.Zero, nameof(LateDelay));
        if (!(LateFraction is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(LateFraction), LateFraction, "Must be between 0 and 1.");
        }
    }

    /// <summary>The hold of one chunk, given a uniform draw in [0, 1).</summary>
    /// <param name="draw">A random number in [0, 1).</param>
    /// <returns>How long the chunk waits.</returns>
    public TimeSpan HoldFor(double draw) =>
        draw < LateFraction && LateDelay > Latency ? LateDelay : Latency;

    /// <inheritdoc/>
    public override string ToString() => LateFraction > 0
        ? string.Create(CultureInfo.InvariantCulture, $"+{Latency.TotalMilliseconds:F0} ms, {LateFraction:0.####} of replies +{LateDelay.TotalMilliseconds:F0} ms")
        : string.Create(CultureInfo.InvariantCulture, $"+{Latency.TotalMilliseconds:F0} ms");
}
