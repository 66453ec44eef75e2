using System.Globalization;
using TenantCache.Benchmarks.Bench;

namespace TenantCache.Benchmarks.Fleet;

/// <summary>What one <c>fleet</c> invocation runs.</summary>
internal sealed class FleetSettings
{
    public int Processes { get; init; } = 8;

    public int Nodes { get; init; } = 3;

    public double Seconds { get; init; } = 20;

    public int Callers { get; init; } = 16;

    public int Tenants { get; init; } = 200;

    public int Keys { get; init; } = 20;

    /// <summary>Percent of operations that are sets (the rest are reads of warm keys).</summary>
    public int SetPercent { get; init; } = 2;

    /// <summary>The windows to run, in order: null = the store's default, else the explicit Δ.</summary>
    public IReadOnlyList<TimeSpan?> Windows { get; init; } = [TimeSpan.Zero, null];

    public FileInfo? JsonFile { get; init; }

    /// <summary>Parses <c>--window</c>: <c>both</c> (Δ = 0, then the default), <c>default</c>, or milliseconds (0–1000).</summary>
    public static IReadOnlyList<TimeSpan?> ParseWindow(string text)
    {
        var value = text.Trim();
        if (value.Equals("both", StringComparison.OrdinalIgnoreCase))
        {
            return [TimeSpan.Zero, null];
        }

        if (value.Equals("default", StringComparison.OrdinalIgnoreCase))
        {
            return [null];
        }

        var digits = value.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? value[..^2] : value;
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms > 1000)
        {
            throw new BenchUsageException($"--window: expected both, default, or a whole number of milliseconds from 0 to 1000 (got '{text}').");
        }

        return [TimeSpan.FromMilliseconds(ms)];
    }

    /// <summary>How a window is named in the report.</summary>
    public static string Describe(TimeSpan? window) => window switch
    {
        null => string.Create(CultureInfo.InvariantCulture, $"Δ default ({TenantCacheOptions.DefaultTokenReuseWindow.TotalMilliseconds:F0} ms)"),
        { } w when w == TimeSpan.Zero => "Δ = 0",
        { } w => string.Create(CultureInfo.InvariantCulture, $"Δ = {w.TotalMilliseconds:F0} ms"),
    };

    /// <summary>The first setting out of range, as a message; null when all are fine.</summary>
    public string? Validate() =>
        Processes is < 1 or > 64 ? "--processes must be between 1 and 64."
        : Nodes is < 1 or > 16 ? "--nodes must be between 1 and 16."
        : Seconds is < 1 or > 600 ? "--seconds must be between 1 and 600."
        : Callers is < 1 or > 1024 ? "--callers must be between 1 and 1024."
        : Tenants is < 1 or > 100_000 ? "--tenants must be between 1 and 100000."
        : Keys is < 1 or > 10_000 ? "--keys must be between 1 and 10000."
        : (long)Tenants * Keys > 1_000_000 ? "--tenants × --keys must be at most 1000000 (the warm keys are written before each run)."
        : SetPercent is < 0 or > 100 ? "--set-percent must be between 0 and 100."
        : null;
}
