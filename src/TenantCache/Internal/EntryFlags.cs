namespace TenantCache.Internal;

/// <summary>
/// The client flags of a data item: 'C' in the top byte, the stale time in whole seconds in bits 8–23
/// (<see cref="CacheEntryOptions.StaleFor"/>, rounded up), bit 0 = marked for in-process copies
/// (<see cref="LocalCopies.IsMarked"/>). 0 when the entry has neither.
/// </summary>
internal static class EntryFlags
{
    private const uint Marker = 0x43u << 24;

    public static uint Of(EntryPlan plan)
    {
        var stale = StaleSeconds(plan.StaleFor);
        if (!plan.LocalCopy && stale == 0)
        {
            return 0;
        }

        return Marker | (stale << 8) | (plan.LocalCopy ? 1u : 0u);
    }

    /// <summary>The stale time an entry was written with; zero when none (or the flags are not ours).</summary>
    public static TimeSpan StaleFor(uint flags) =>
        (flags & 0xFF00_0000) == Marker ? TimeSpan.FromSeconds((flags >> 8) & 0xFFFF) : TimeSpan.Zero;

    private static uint StaleSeconds(TimeSpan? staleFor) =>
        staleFor is { } s ? (uint)Math.Min(ushort.MaxValue, Math.Ceiling(s.TotalSeconds)) : 0;
}
