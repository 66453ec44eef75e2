namespace TenantCache.Internal;

/// <summary>
/// What a version key's client flags say about its token: the reuse window its writer promised to
/// wait out (docs/design.md, "Token reuse"). A token written by a version that knows nothing of the
/// window carries flags 0: a window of zero, so nobody reuses it.
/// </summary>
internal static class TokenRecord
{
    /// <summary>The largest window any process may use, and what an invalidation waits when it cannot read the old token's.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromSeconds(1);

    private const uint Marker = 0x54u << 24; // 'T': these flags are ours
    private const uint MarkerMask = 0xFFu << 24;
    private const uint WindowMask = 0x00FF_FFFF;

    /// <summary>The flags of a token whose writer waits out <paramref name="window"/> (whole milliseconds, rounded up).</summary>
    public static uint Flags(TimeSpan window)
    {
        var ms = (uint)Math.Ceiling(Math.Min(window.TotalMilliseconds, MaxWindow.TotalMilliseconds));
        return ms == 0 ? 0 : Marker | ms;
    }

    /// <summary>The window a token's flags promise: zero for flags that are not ours (an older writer); never over <see cref="MaxWindow"/>.</summary>
    public static TimeSpan Window(uint flags)
    {
        if ((flags & MarkerMask) != Marker)
        {
            return TimeSpan.Zero;
        }

        var ms = Math.Min(flags & WindowMask, (uint)MaxWindow.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(ms);
    }

    /// <summary>
    /// The window a reader may use for a token whose record promises <paramref name="promised"/>, given its
    /// own <paramref name="own"/>: the smaller, less a margin for clock-rate drift between processes
    /// (1 %, at least 5 ms). Zero means "do not reuse".
    /// </summary>
    public static TimeSpan Usable(TimeSpan own, TimeSpan promised)
    {
        var window = own < promised ? own : promised;
        var margin = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(5).Ticks, window.Ticks / 100));
        return window > margin ? window - margin : TimeSpan.Zero;
    }
}
