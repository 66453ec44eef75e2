namespace TenantCache.Cli.Check;

/// <summary>One broken invariant, with the operations that prove it.</summary>
/// <param name="Invariant">"I1", "I2", "I3", "I4" or "I5"; "expiry" for a value served past its entry's lifetime (and fail-safe time).</param>
/// <param name="Message">What is wrong, in one sentence.</param>
/// <param name="Evidence">The read (or failing operation) first, then the writes and invalidations that make it a violation.</param>
internal sealed record Violation(string Invariant, string Message, IReadOnlyList<Operation> Evidence);

/// <summary>What the judge found in a history.</summary>
internal sealed class Verdict
{
    private readonly List<Violation> _kept = [];
    private readonly Dictionary<string, int> _byInvariant = new(StringComparer.Ordinal);

    public Verdict(int keep) => Keep = keep;

    /// <summary>How many violations are kept with their evidence; the rest are only counted.</summary>
    public int Keep { get; }

    /// <summary>Reads judged: gets and get-or-creates that returned.</summary>
    public long Reads { get; internal set; }

    /// <summary>Reads that returned a value not computed by their own call (get hits, get-or-create without a factory call).</summary>
    public long Hits { get; internal set; }

    /// <summary>Reads that met every condition of I3, so had to be hits.</summary>
    public long LocalityChecked { get; internal set; }

    /// <summary>Whether I3 was judged at all.</summary>
    public bool LocalityJudged { get; internal set; }

    /// <summary>Whether I4 was judged (the checker's own nodes: placement and faults known).</summary>
    public bool TokenLossJudged { get; internal set; }

    /// <summary>Hits on a value stamped with a token that had vanished less than Δ_max before the read began: allowed, counted.</summary>
    public long HitsOnVanishedTokens { get; internal set; }

    /// <summary>Get-or-creates that returned a stale value (<see cref="GetOrCreateOutcome.Stale"/>).</summary>
    public long StaleResults { get; internal set; }

    /// <summary>Stale results whose value was certainly of an older generation (an invalidation, or a token lost, in between).</summary>
    public long StaleOlderGeneration { get; internal set; }

    /// <summary>Stale results of an older generation whose first detection is bounded: judged against StaleFor.</summary>
    public long StaleJudged { get; internal set; }

    /// <summary>The largest time from the bound on the first detection to the end of a judged stale result (ms).</summary>
    public double StaleMaxAgeMs { get; internal set; }

    /// <summary>Get-or-creates that returned a fail-safe value (<see cref="GetOrCreateOutcome.FailSafe"/>).</summary>
    public long FailSafeResults { get; internal set; }

    /// <summary>Fail-safe results whose value had certainly expired (judged against FailSafeFor).</summary>
    public long FailSafeExpired { get; internal set; }

    /// <summary>Get-or-creates that threw their factory's own failure or timeout (expected: not I5).</summary>
    public long FactoryFailures { get; internal set; }

    public long ViolationCount { get; private set; }

    public IReadOnlyList<Violation> Violations => _kept;

    public IReadOnlyDictionary<string, int> ByInvariant => _byInvariant;

    internal void Add(Violation violation)
    {
        ViolationCount++;
        _byInvariant[violation.Invariant] = _byInvariant.GetValueOrDefault(violation.Invariant) + 1;
        if (_kept.Count < Keep)
        {
            _kept.Add(violation);
        }
    }
}
