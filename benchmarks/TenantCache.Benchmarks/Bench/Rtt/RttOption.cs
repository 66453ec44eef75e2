using System.Globalization;
using System.Text.RegularExpressions;

namespace TenantCache.Benchmarks.Bench.Rtt;

/// <summary>Parses <c>--rtt</c>: a duration with a unit, <c>200us</c> (or <c>200µs</c>), <c>1ms</c>, <c>0.5ms</c>, <c>1s</c>.</summary>
internal static partial class RttOption
{
    /// <summary>The largest round trip the relay adds (beyond, the client's timeouts would be what is measured).</summary>
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(1);

    /// <summary>The duration <paramref name="text"/> names; a <see cref="BenchUsageException"/> naming <paramref name="option"/> otherwise.</summary>
    public static TimeSpan Parse(string text, string option = "--rtt")
    {
        var match = DurationPattern().Match(text.Trim());
        if (!match.Success)
        {
            throw new BenchUsageException($"{option}: expected a duration with a unit, such as 200us, 1ms or 0.5s (got '{text}').");
        }

        var number = double.Parse(match.Groups["n"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        var ticks = match.Groups["unit"].Value switch
        {
            "us" or "µs" => number * TimeSpan.TicksPerMicrosecond,
            "ms" => number * TimeSpan.TicksPerMillisecond,
            _ => number * TimeSpan.TicksPerSecond,
        };
        if (ticks > Max.Ticks)
        {
            throw new BenchUsageException($"{option}: at most {Max.TotalSeconds:F0} s (got '{text}').");
        }

        return TimeSpan.FromTicks((long)Math.Round(ticks));
    }

    /// <summary><c>200 µs</c>, <c>1.5 ms</c>: how reports name a round trip.</summary>
    public static string Format(TimeSpan value) => value < TimeSpan.FromMilliseconds(1)
        ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalMicroseconds:0.#} µs")
        : string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:0.###} ms");

    [GeneratedRegex(@"^(?<n>[0-9]+(\.[0-9]+)?)\s*(?<unit>us|µs|ms|s)$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}
