namespace TenantCache.Benchmarks.Bench;

/// <summary>What to run.</summary>
internal sealed class BenchConfig
{
    public bool Quick { get; init; }

    public string? Servers { get; init; }

    public FileInfo? JsonFile { get; init; }

    public int DurationMs { get; init; }

    public int WarmupMs => Math.Max(20, DurationMs / 4);

    public int Rounds { get; init; }

    public IReadOnlyList<int> Concurrency { get; init; } = [];

    public IReadOnlyList<int> TenantSizes { get; init; } = [];

    public int ChurnGenerations { get; init; }

    public int ChurnEntries { get; init; }

    /// <summary><c>--rtt</c>: time added to every memcached round trip by a relay (null: no relay).</summary>
    public TimeSpan? Rtt { get; init; }

    /// <summary>Contenders to run (null: all).</summary>
    public IReadOnlyList<string>? Contenders { get; init; }

    public int Tenants { get; init; } = 8;

    public int KeysPerTenant => Quick ? 100 : 500;

    public int ValueBytes { get; init; } = 100;
}
