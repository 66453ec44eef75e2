using System.Globalization;

namespace TenantCache.Cli.Check;

/// <summary>The settings of one checker run. Small sizes by default so collisions and invalidations interleave a lot.</summary>
internal sealed partial class CheckOptions
{
    /// <summary>Every value <c>--faults</c> accepts, in order.</summary>
    public static readonly IReadOnlyList<string> KnownFaults = ["none", "restart", "pause", "kill", "relay", "slow", "evict", "all"];

    /// <summary>The fault names that can run now (every one: see docs/guarantees.md).</summary>
    public static readonly IReadOnlyList<string> Implemented = ["none", "restart", "pause", "kill", "relay", "slow", "evict", "all"];

    /// <summary>The faults <c>all</c> stands for, in order.</summary>
    public static readonly IReadOnlyList<string> AllFaults = ["restart", "pause", "kill", "relay", "slow", "evict"];

    /// <summary>
    /// Faults that need the checker's own memcached processes (it kills, pauses, restarts them, or
    /// starts them with little memory); with <c>--servers</c> only <c>relay</c>, <c>slow</c> (relays in
    /// front of loopback servers) and <c>none</c> can run.
    /// </summary>
    public static readonly IReadOnlyList<string> NeedProcessControl = ["restart", "pause", "kill", "evict"];

    /// <summary>The faults that run on the checker's own Redis (<c>--redis-local</c>), and what <c>all</c> stands for there.</summary>
    public static readonly IReadOnlyList<string> RedisFaults = ["restart", "pause", "kill"];

    /// <summary>Default number of local memcached nodes when faults are asked for without <c>--servers</c>.</summary>
    public const int DefaultFaultNodes = 3;

    public double Seconds { get; set; } = 10;

    public int Workers { get; set; } = 8;

    /// <summary>The seed of every worker's random choices; a run is reproducible from it as far as scheduling allows.</summary>
    public int Seed { get; set; } = Random.Shared.Next();

    public int Apps { get; set; } = 2;

    public int Tenants { get; set; } = 3;

    /// <summary>Sub-scopes per tenant. Entries live at the application root, in tenants and in sub-scopes.</summary>
    public int SubScopes { get; set; } = 2;

    /// <summary>Keys per scope.</summary>
    public int Keys { get; set; } = 8;

    /// <summary>Tags per application (at most 8).</summary>
    public int Tags { get; set; } = 3;

    /// <summary>
    /// Cache instances per application over the shared store, like several processes of one
    /// service: in-process single flight is per instance, so both paths are exercised.
    /// </summary>
    public int Clients { get; set; } = 2;

    /// <summary>The faults asked for; <c>none</c> or empty for none.</summary>
    public IReadOnlyList<string> Faults { get; set; } = ["none"];

    /// <summary>A memcached cluster to run on (<c>--servers</c>); the checker does not control its processes.</summary>
    public string? Servers { get; set; }

    /// <summary>A Redis (standalone or cluster) to run on (<c>--redis</c>, a StackExchange.Redis configuration string); no faults (the checker does not control it).</summary>
    public string? Redis { get; set; }

    /// <summary>
    /// Redis processes the checker starts itself on loopback (<c>--redis-local</c>): 1 for a standalone server,
    /// 3 or more for a Redis Cluster of that many primaries; the faults <see cref="RedisFaults"/> run on them.
    /// </summary>
    public int? RedisLocal { get; set; }

    /// <summary>How many local memcached processes the checker starts (<c>--nodes</c>); 0 for none.</summary>
    public int? Nodes { get; set; }

    /// <summary>
    /// Keep no history and judge nothing after the run (<c>--no-judge</c>): for long load runs whose
    /// memory must reflect the cache, not the checker. Exceptions (I5) and returned values (I2: decode,
    /// checksum, identity) are still checked as they happen.
    /// </summary>
    public bool NoJudge { get; set; }

    /// <summary>Print the process's memory and socket count every this many seconds (<c>--report-every</c>); 0 for never.</summary>
    public double ReportEvery { get; set; }

    /// <summary>
    /// The token reuse window (Δ) of every simulated process (<c>--token-window</c>); <see langword="null"/>:
    /// the engine's default for the store (500 ms on memcached, zero in process).
    /// </summary>
    public TimeSpan? TokenWindow { get; set; }

    /// <summary>Processes with different windows, and invalidations from each of them and from a clear-like process (<c>--mixed-windows</c>).</summary>
    public bool MixedWindows { get; set; }

    /// <summary>Some processes of an older version: no CAS, no flags; they read and write only (<c>--legacy-readers</c>).</summary>
    public bool LegacyReaders { get; set; }

    /// <summary>Every process keeps in-process copies of the entries it reads, validated by CAS (<c>--local-copy</c>).</summary>
    public bool LocalCopy { get; set; }

    /// <summary>
    /// Whether get-or-creates take recompute leases (<c>--no-leases</c> turns them off): set explicitly on
    /// the in-process store (whose engine default is off), left to the engine's default (on) on memcached.
    /// </summary>
    public bool Leases { get; set; } = true;

    /// <summary>
    /// The processes' <see cref="LeaseOptions.Duration"/>; <see langword="null"/>: 1 s on a store with an exact clock
    /// (in process), 2 s on memcached (it counts whole seconds on a clock that ticks once a second, so a lease of
    /// one second may end at once). Above the slowest factory of the workload (<see cref="GetOrCreatePolicy.SlowFactory"/>),
    /// and short, because a lease left behind stalls the workers that wait for it: a holder whose factory fails on
    /// an entry it marked stale keeps the lease until it ends (docs/cli.md, "Leases, stale values and fail-safe").
    /// </summary>
    public TimeSpan? LeaseDuration { get; set; }

    /// <summary>
    /// Whether the short-lived keys' get-or-creates give them tags, like the other keys' (default: yes). It was off
    /// in tests while an engine finding was open (an expired entry whose tag was invalidated served as a fail-safe
    /// value; fixed, LeaseFindingsTests); kept so a run can isolate fail-safe from tags.
    /// </summary>
    public bool TagShortLivedKeys { get; set; } = true;

    /// <summary>How get-or-creates are called: strict, with stale values, fail-safe, timeouts (<see cref="GetOrCreatePolicy.All"/>).</summary>
    public IReadOnlyList<GetOrCreatePolicy> Policies { get; set; } = GetOrCreatePolicy.All;

    /// <summary>The memcached client's operation timeout in the checker (short, so that faults are felt quickly).</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The faults asked for, with <c>all</c> expanded and <c>none</c> removed.</summary>
    public IReadOnlyList<string> ExpandedFaults =>
        [.. Faults.SelectMany(f => f == "all" ? (RedisLocal is null ? AllFaults : RedisFaults) : [f]).Where(f => f != "none").Distinct()];

    /// <summary>The local memcached nodes to start: <c>--nodes</c>, else 3 when faults are asked for without a Redis, else none.</summary>
    public int LocalNodes => Servers is not null || Redis is not null || RedisLocal is not null ? 0 : Nodes ?? (ExpandedFaults.Count > 0 ? DefaultFaultNodes : 0);

    /// <summary>Part of every application name, so that runs sharing a store never read each other's entries.</summary>
    public string RunId { get; set; } = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray(), 0, 4);

    /// <summary>Probability that a get-or-create factory takes a few milliseconds.</summary>
    public double SlowFactory { get; set; } = 0.3;

    /// <summary>The largest random padding added to values (bytes).</summary>
    public int MaxPadding { get; set; } = 48;

    /// <summary>How many violations to print with their histories.</summary>
    public int Show { get; set; } = 5;

    /// <summary>
    /// Relative weights of the operations: get, set, get-or-create, remove, invalidate sub-scope,
    /// invalidate tenant, invalidate application, invalidate tag.
    /// </summary>
    public OperationWeights Weights { get; set; } = new();

    /// <summary>Entries live much longer than any run, so nothing expires during one (I3 depends on it).</summary>
    public TimeSpan EntryLifetime => TimeSpan.FromSeconds(Math.Max(3600, Seconds * 4));

    public string ApplicationName(int app) => string.Create(CultureInfo.InvariantCulture, $"{ApplicationPrefix}a{app}");

    /// <summary>What every application name of this run starts with.</summary>
    public string ApplicationPrefix => "check." + RunId + ".";
}
