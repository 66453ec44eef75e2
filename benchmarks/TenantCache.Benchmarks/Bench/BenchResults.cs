using System.Text.Json;
using System.Text.Json.Serialization;

namespace TenantCache.Benchmarks.Bench;

/// <summary>Everything one bench run measured; serialized as the <c>--json</c> file.</summary>
internal sealed class BenchReport
{
    public required string Mode { get; init; }

    /// <summary>The server the contenders share: "memcached" or "redis".</summary>
    public string Engine { get; init; } = "memcached";

    public required DateTimeOffset StartedUtc { get; init; }

    public double ElapsedSeconds { get; set; }

    public required BenchMachine Machine { get; init; }

    public required string Servers { get; init; }

    public required bool LocalServer { get; init; }

    public required BenchSettings Settings { get; init; }

    /// <summary>The added round trip (<c>--rtt</c>) and what the probe measured; null without <c>--rtt</c>.</summary>
    public BenchRtt? Rtt { get; set; }

    public List<ContenderInfo> Contenders { get; } = [];

    public List<LoadResult> Load { get; } = [];

    public InvalidationReport? Invalidation { get; set; }

    public ChurnReport? Churn { get; set; }

    /// <summary>Output-cache tag eviction, ASP.NET Core's Redis store against TenantCache's (Redis engine only).</summary>
    public EvictionReport? Eviction { get; set; }

    public List<TargetResult> Targets { get; } = [];

    public List<string> Notes { get; } = [];

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);
}

internal sealed record BenchMachine(int ProcessorCount, string Os, string Runtime, string? MemcachedVersion, string? RedisVersion = null);

internal sealed record BenchSettings(
    IReadOnlyList<string> Scenarios,
    IReadOnlyList<int> Concurrency,
    int DurationMs,
    int WarmupMs,
    int Rounds,
    int Tenants,
    int KeysPerTenant,
    int ValueBytes,
    IReadOnlyList<int> TenantSizes,
    int ChurnEntries,
    int ChurnGenerations);

/// <summary>
/// <c>--rtt</c>: the time each relay adds to every reply, the relays' endpoints, and the median of
/// plain <c>mn</c> round trips measured directly and through the relay before the run, and how
/// late (past due) the relays sent their held replies on average over the whole run.
/// </summary>
internal sealed record BenchRtt(double AddedUs, string Relays, double ProbeDirectUs, double ProbeRelayedUs, double MeanPastDueUs = double.NaN, long HeldReplies = 0);

/// <summary>
/// A contender, and the cross-instance check: stale (null: no tenant clear), its note, and for a contender
/// with a propagation (a backplane) the time from the clear's return to instance B's first miss (null: no
/// propagation allowed, or B never missed within the wait).
/// </summary>
internal sealed record ContenderInfo(string Name, string Description, bool Available, string? Error, bool? StaleAcrossInstancesAfterTenantClear, string? StaleNote, double? PropagationMs = null);

/// <summary>
/// One scenario × contender × concurrency: medians over the rounds of p50, p99 (µs) and throughput
/// (ops/s); the ratios to raw are medians over the rounds of the per-round ratio (raw ran in the
/// same round); the per-round p50 and throughput follow.
/// </summary>
internal sealed record LoadResult(
    string Scenario,
    string Contender,
    int Concurrency,
    double P50Us,
    double P99Us,
    double ThroughputOpsPerSec,
    double RatioToRawP50,
    double RatioToRawP99,
    double RatioToRawThroughput,
    long Ops,
    long Errors,
    double HitRatio,
    int Rounds,
    double MaxUs,
    IReadOnlyList<double> RoundP50Us,
    IReadOnlyList<double> RoundOpsPerSec);

internal sealed record InvalidationResult(string Contender, int Entries, double MedianUs, double FirstUs, double P90Us, int Clears, double PopulateSeconds);

internal sealed record InvalidationReport(IReadOnlyList<int> Sizes, string Note, List<InvalidationResult> Results);

internal sealed record ChurnResult(string Contender, int Entries, int Generations, long BytesOneGeneration, long ItemsOneGeneration, long Bytes, long CurrItems, double BytesRatioToOneGeneration);

internal sealed record ChurnReport(bool Skipped, string Note, List<ChurnResult> Results);

/// <summary>The output-cache tag eviction of the Redis engine: one row per store and tag size.</summary>
internal sealed record EvictionReport(string Note, List<Http.EvictionResult> Results);

/// <summary>One target: what it asks, what the run measured, met (null: not measured), a note, and the issue it belongs to ("" for the earlier ones).</summary>
internal sealed record TargetResult(string Target, string Measured, bool? Met, string Detail, string Issue = "");
