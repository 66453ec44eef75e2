namespace TenantCache.Cli.Check;

/// <summary>
/// How a get-or-create of the workload is called: strict (the default options), with stale values allowed
/// (<see cref="CacheEntryOptions.StaleFor"/>), with a fail-safe (a short-lived entry, so that it expires
/// during the run, and a factory that sometimes throws), or with factory timeouts (a factory that is
/// sometimes slow). The judge reads the options back from the operation (<see cref="Operation.StaleFor"/>, ...).
/// </summary>
/// <param name="Name">For people: "strict", "stale 2s", ...</param>
/// <param name="Weight">Relative share of the get-or-creates.</param>
/// <param name="StaleFor">The call's <see cref="CacheEntryOptions.StaleFor"/> (whole seconds: memcached counts in them).</param>
/// <param name="FailSafeFor">The call's <see cref="CacheEntryOptions.FailSafeFor"/>.</param>
/// <param name="Lifetime">The entry's <see cref="CacheEntryOptions.Expiration"/>; <see langword="null"/>: the run's long lifetime.</param>
/// <param name="SoftTimeout">The call's <see cref="CacheEntryOptions.FactorySoftTimeout"/>.</param>
/// <param name="HardTimeout">The call's <see cref="CacheEntryOptions.FactoryHardTimeout"/>.</param>
/// <param name="FailChance">Probability that the factory throws (<see cref="CheckFactoryException"/>).</param>
/// <param name="SlowChance">Probability that the factory takes <see cref="SlowFactory"/> (past the timeouts).</param>
internal sealed record GetOrCreatePolicy(
    string Name,
    int Weight,
    TimeSpan? StaleFor = null,
    TimeSpan? FailSafeFor = null,
    TimeSpan? Lifetime = null,
    TimeSpan? SoftTimeout = null,
    TimeSpan? HardTimeout = null,
    double FailChance = 0,
    double SlowChance = 0)
{
    /// <summary>How long a slow factory takes at least and at most: past <see cref="HardTimeout"/>, well below <see cref="LeaseOptions.Duration"/>.</summary>
    public static readonly (int MinMs, int MaxMs) SlowFactory = (30, 250);

    /// <summary>
    /// The short lifetime of fail-safe entries: keys are rewritten every second or so, so only a lifetime well
    /// below that lets entries expire, and be served past it when a factory fails, during a run.
    /// </summary>
    public static readonly TimeSpan ShortLifetime = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The policies of a run (the default): on most keys strict calls, calls that allow stale values for 2, 3 or 5 s,
    /// and a few with a hard timeout; on the short-lived keys (<see cref="ShortLived"/>: one in four) fail-safe
    /// calls whose factory fails now and then, calls with every timeout, and strict calls of the same short lifetime.
    /// </summary>
    public static readonly IReadOnlyList<GetOrCreatePolicy> All =
    [
        new("strict", 50),
        new("stale 2s", 14, StaleFor: TimeSpan.FromSeconds(2)),
        new("stale 3s", 14, StaleFor: TimeSpan.FromSeconds(3)),
        new("stale 5s", 14, StaleFor: TimeSpan.FromSeconds(5)),
        new("hard timeout", 8, HardTimeout: TimeSpan.FromMilliseconds(100), SlowChance: 0.05),
        new("fail-safe", 50, FailSafeFor: TimeSpan.FromSeconds(3), Lifetime: ShortLifetime, FailChance: 0.1) { ShortLived = true },
        new("timeouts+stale+fail-safe", 25, StaleFor: TimeSpan.FromSeconds(3), FailSafeFor: TimeSpan.FromSeconds(3), Lifetime: ShortLifetime,
            SoftTimeout: TimeSpan.FromMilliseconds(20), HardTimeout: TimeSpan.FromMilliseconds(150), SlowChance: 0.1) { ShortLived = true },
        new("strict short-lived", 25, Lifetime: ShortLifetime) { ShortLived = true },
    ];

    /// <summary>Whether the policy is for the short-lived keys (<see cref="Workspace.IsShortLived"/>) or for the others.</summary>
    public bool ShortLived { get; init; }

    /// <summary>The entry options of a call with this policy, for an entry carrying <paramref name="tags"/>.</summary>
    public CacheEntryOptions Options(TimeSpan longLifetime, IReadOnlyList<string>? tags) => new()
    {
        Expiration = Lifetime ?? longLifetime,
        Tags = tags,
        StaleFor = StaleFor,
        FailSafeFor = FailSafeFor,
        FactorySoftTimeout = SoftTimeout,
        FactoryHardTimeout = HardTimeout,
    };
}

/// <summary>What a checker factory throws when its policy makes it fail: expected, never an I5 violation.</summary>
internal sealed class CheckFactoryException : Exception
{
    public CheckFactoryException()
        : base("the checker's factory failed on purpose")
    {
    }

    public CheckFactoryException(string message)
        : base(message)
    {
    }

    public CheckFactoryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
