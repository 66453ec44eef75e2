namespace TenantCache.Internal;

/// <summary>
/// The envelope's 32-bit sliding field. Format 2 keeps the window in milliseconds, so the in-process
/// store renews it exactly and sub-second windows are honoured; format 1 kept whole seconds.
/// </summary>
internal static class SlidingCode
{
    private const uint SecondsFlag = 0x8000_0000;
    private const long MaxMillisecondsCode = SecondsFlag - 1;

    /// <summary>The longest window the field holds (2^31 - 1 seconds, 68 years); a longer one is clamped to it and means "never".</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromSeconds(MaxMillisecondsCode);

    /// <summary>
    /// The sliding field of a window: 0 for none; whole milliseconds (rounded up) below 2^31 ms
    /// (24.8 days); beyond that the top bit set and whole seconds (rounded up, at most 2^31 - 1).
    /// </summary>
    public static uint Encode(TimeSpan? window)
    {
        if (window is not { } w || w <= TimeSpan.Zero)
        {
            return 0;
        }

        var milliseconds = (long)Math.Ceiling(w.TotalMilliseconds);
        if (milliseconds <= MaxMillisecondsCode)
        {
            return (uint)milliseconds;
        }

        return SecondsFlag | (uint)Math.Min(MaxMillisecondsCode, (long)Math.Ceiling(w.TotalSeconds));
    }

    /// <summary>The window a sliding field of format <paramref name="version"/> stands for (<see langword="null"/> for none).</summary>
    public static TimeSpan? Decode(uint code, byte version)
    {
        if (code == 0)
        {
            return null;
        }

        if (version == Envelope.SecondsSlidingFormatVersion)
        {
            return TimeSpan.FromSeconds(code);
        }

        return (code & SecondsFlag) == 0 ? TimeSpan.FromMilliseconds(code) : TimeSpan.FromSeconds(code & ~SecondsFlag);
    }
}
