using System.Globalization;

namespace TenantCache.Cli.Check;

// Get-or-create outcomes, stale and fail-safe results, the lease meter and the factory accounting.
internal sealed partial class CheckSummary
{
    /// <summary>Get-or-creates that returned, by outcome.</summary>
    public IReadOnlyDictionary<GetOrCreateOutcome, long> Outcomes { get; init; } = new Dictionary<GetOrCreateOutcome, long>();

    /// <summary>Get-or-creates that threw their factory's own failure or timeout (expected).</summary>
    public long FactoryFailures { get; init; }

    /// <summary>Stale results, of which of an older generation, of which judged against StaleFor; the largest age judged (ms).</summary>
    public (long Results, long OlderGeneration, long Judged, double MaxAgeMs) Stale { get; init; }

    /// <summary>Fail-safe results, of which past their entry's expiry (judged against FailSafeFor).</summary>
    public (long Results, long Expired) FailSafe { get; init; }

    /// <summary>Factory runs per key and generation; <see langword="null"/> without a history.</summary>
    public FactoryAccounting? Accounting { get; set; }

    /// <summary>The lease instruments' counts for this run ("won=… marked=…"); <see langword="null"/> when not listened to.</summary>
    public string? LeaseMeterLine { get; set; }

    /// <summary>Takeovers the meter counted (<c>tenantcache.leases.takeovers</c>).</summary>
    public long MeterTakeovers { get; set; }

    private void WriteLeaseLines(TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        long Outcome(GetOrCreateOutcome outcome) => Outcomes.GetValueOrDefault(outcome);
        output.WriteLine(string.Create(
            inv,
            $"get-or-create outcomes: hit={Outcome(GetOrCreateOutcome.Hit)} computed={Outcome(GetOrCreateOutcome.Computed)} joined={Outcome(GetOrCreateOutcome.Joined)} stale={Outcome(GetOrCreateOutcome.Stale)} fail-safe={Outcome(GetOrCreateOutcome.FailSafe)} factory failed or timed out (thrown, expected)={FactoryFailures}"));
        output.WriteLine(string.Create(
            inv,
            $"stale results: {Stale.Results}, {Stale.OlderGeneration} of an older generation, {Stale.Judged} judged against StaleFor (largest time past the first detection: {Stale.MaxAgeMs:F0} ms); fail-safe results: {FailSafe.Results}, {FailSafe.Expired} past their entry's expiry, judged against FailSafeFor"));
        if (LeaseMeterLine is not null)
        {
            output.WriteLine("lease meter: " + LeaseMeterLine);
        }

        if (Accounting is not null)
        {
            output.WriteLine(Accounting.Line(MeterTakeovers));
        }
    }
}
