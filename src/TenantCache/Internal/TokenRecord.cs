namespace TenantCache.Internal;

/// <summary>
/// What a version key's client flags say about its token (docs/design.md, "Token reuse"): how long
/// readers may reuse it (its writer's window, R) and how long an invalidation that replaces it must
/// wait (W ≥ R: also covers tokens that readers may still reuse although they are no longer in the
/// store — one replaced by an invalidation still waiting, one that vanished before this one was
/// created). A token written by a version that knows nothing of windows carries flags 0: R = W = 0.
/// </summary>
internal static class TokenRecord
{
    /// <summary>The largest window any process may use, and what an invalidation waits when it cannot read the old token's.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromSeconds(1);

    private const uint Marker = 0x54u << 24; // 'T': these flags are ours
    private const uint MarkerMask = 0xFFu << 24;
    private const int WaitShift = 12;
    private const uint FieldMask = 0xFFF; // milliseconds, up to 4095

    /// <summary>The flags of a token readers may reuse for <paramref name="reuse"/>, whose replacement must wait <paramref name="wait"/> (whole milliseconds, rounded up).</summary>
    public static uint Flags(TimeSpan reuse, TimeSpan wait)
    {
        var r = Milliseconds(reuse);
        var w = Math.Max(r, Milliseconds(wait));
        return Marker | (w << WaitShift) | r;
    }

    /// <summary>Whether the flags were written by a version that knows windows (a token from an older one may have replaced a vanished token without waiting for it).</summary>
    public static bool IsOurs(uint flags) => (flags & MarkerMask) == Marker;

    /// <summary>How long readers may reuse a token with these flags (R): zero for flags that are not ours; never over <see cref="MaxWindow"/>.</summary>
    public static TimeSpan Reuse(uint flags) =>
        (flags & MarkerMask) != Marker ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Min(flags & FieldMask, (uint)MaxWindow.TotalMilliseconds));

    /// <summary>How long an invalidation replacing a token with these flags must wait (W, at least R): zero for flags that are not ours.</summary>
    public static TimeSpan Wait(uint flags)
    {
        if ((flags & MarkerMask) != Marker)
        {
            return TimeSpan.Zero;
        }

        var w = Math.Min(Math.Max((flags >> WaitShift) & FieldMask, flags & FieldMask), (uint)MaxWindow.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(w);
    }

    /// <summary>
    /// The window a reader may use for a token whose record allows <paramref name="promised"/>, given its
    /// own <paramref name="own"/>: the smaller, less a margin for clock-rate drift between processes
    /// (1 %, at least 5 ms). Zero means "do not reuse".
    /// </summary>
    public static TimeSpan Usable(TimeSpan own, TimeSpan promised)
    {
        var window = own < promised ? own : promised;
        var margin = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(5).Ticks, window.Ticks / 100));
        return window > margin ? window - margin : TimeSpan.Zero;
    }

    private static uint Milliseconds(TimeSpan span) =>
        span <= TimeSpan.Zero ? 0 : (uint)Math.Ceiling(Math.Min(span.TotalMilliseconds, MaxWindow.TotalMilliseconds));
}
