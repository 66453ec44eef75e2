namespace TenantCache.Benchmarks.Bench;

/// <summary>The server every contender of one run shares.</summary>
internal enum BenchEngine
{
    Memcached,
    Redis,
}

/// <summary>What to run.</summary>
internal sealed class BenchConfig
{
    public bool Quick { get; init; }

    /// <summary><c>--engine</c>: memcached (the default) or Redis.</summary>
    public BenchEngine Engine { get; init; }

    public string? Servers { get; init; }

    /// <summary><c>--redis</c>: a StackExchange.Redis configuration string (null: start a local Redis).</summary>
    public string? Redis { get; init; }

    /// <summary>Clears per contender and tenant size in the clear-cost scenario (default 31; quick 11).</summary>
    public int Clears { get; init; } = 31;

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
