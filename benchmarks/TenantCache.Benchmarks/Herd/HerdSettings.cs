namespace TenantCache.Benchmarks.Herd;

/// <summary>What one <c>herd</c> invocation runs.</summary>
internal sealed class HerdSettings
{
    public int Processes { get; init; } = 4;

    public int Callers { get; init; } = 64;

    /// <summary>Hot keys of the one tenant every caller reads.</summary>
    public int Keys { get; init; } = 20;

    /// <summary>How long the factory sleeps before it returns the key's new value.</summary>
    public int FactoryMs { get; init; } = 50;

    /// <summary>Clears of the tenant per contender, each followed by a window of reads.</summary>
    public int Clears { get; init; } = 5;

    /// <summary>How long the callers keep reading after each clear began.</summary>
    public int WindowMs { get; init; } = 2000;

    /// <summary>The contenders to run, in order.</summary>
    public IReadOnlyList<string> Contenders { get; init; } = HerdContender.Names;

    public FileInfo? JsonFile { get; init; }

    /// <summary>The first setting out of range, as a message; null when all are fine.</summary>
    public string? Validate() =>
        Processes is < 1 or > 64 ? "--processes must be between 1 and 64."
        : Callers is < 1 or > 1024 ? "--callers must be between 1 and 1024."
        : Keys is < 1 or > 10_000 ? "--keys must be between 1 and 10000."
        : FactoryMs is < 0 or > 10_000 ? "--factory-ms must be between 0 and 10000."
        : Clears is < 1 or > 1000 ? "--clears must be between 1 and 1000."
        : WindowMs is < 100 or > 60_000 ? "--window-ms must be between 100 and 60000."
        : WindowMs <= FactoryMs ? "--window-ms must be longer than --factory-ms (the window has to hold a recompute)."
        : Contenders.Count == 0 ? "--contenders: name at least one."
        : Contenders.Except(HerdContender.Names).ToList() is { Count: > 0 } unknown
            ? $"--contenders: unknown {string.Join(", ", unknown)} (known: {string.Join(", ", HerdContender.Names)})."
        : Contenders.Distinct().Count() != Contenders.Count ? "--contenders: a contender is named twice."
        : null;
}
