using System.Diagnostics;
using System.Text.RegularExpressions;
using TenantCache.Cli;
using TenantCache.Cli.Check;
using TenantCache.Stores;
using Xunit.Abstractions;

namespace TenantCache.Tests.Check;

/// <summary>
/// The real checker, short: clean on the in-process store, and not blind — it catches caches broken
/// on purpose. These tests share a class so they run one after the other (they measure throughput).
/// </summary>
public sealed partial class CheckRunnerTests(ITestOutputHelper output)
{
    // No token window, as on the in-process store by default: the broken stores keep CAS and flags
    // (CasDelegatingStore), which would make the engine's default window 500 ms. WindowCheckTests run with one.
    private static CheckOptions Options(double seconds, int seed = 20261125) => new() { Seconds = seconds, Workers = 8, Seed = seed, TokenWindow = TimeSpan.Zero };

    private async Task<CheckResult> RunAsync(CheckOptions options, Func<ICacheStore> store, string name)
    {
        var target = new CheckTarget(name, store, []);
        var result = await new CheckRunner(options, target).RunAsync();
        output.WriteLine(options.Describe(target));
        output.WriteLine(ReportText.Of(result));
        return result;
    }

    [Fact]
    public async Task Fifteen_seconds_on_the_in_process_store_hold_every_invariant()
    {
        var result = await RunAsync(Options(15), () => new MemoryCacheStore(), "memory");
        var s = result.Summary;

        Assert.True(s.Violations == 0, ReportText.Of(result));
        // Not a vacuous pass: reads, hits, invalidations and I3-eligible reads all happened in numbers.
        Assert.True(s.Reads >= 20_000, $"reads={s.Reads}");
        Assert.True(s.Hits >= 5_000, $"hits={s.Hits}");
        Assert.True(s.Hits <= s.Reads - 2_000, $"misses too rare: hits={s.Hits} reads={s.Reads}");
        Assert.True(s.Invalidations >= 1_000, $"invalidations={s.Invalidations}");
        Assert.True(s.ByKind.GetValueOrDefault(OpKind.Remove) >= 200, "removals");
        Assert.True(s.FactoryCalls >= 2_000, $"factory calls={s.FactoryCalls}");
        Assert.True(s.LocalityJudged && s.LocalityChecked >= 2_000, $"I3-eligible reads={s.LocalityChecked}");
        Assert.Equal(0, s.StoreErrors);
        Assert.Equal(0, s.Rejections);
    }

    [Fact]
    public async Task A_store_that_loses_invalidations_is_caught_as_I1()
    {
        var result = await RunAsync(Options(2), () => new LostInvalidationStore(new CasMemoryStore()), "lost-invalidations");

        Assert.True(result.Summary.Violations > 0, ReportText.Of(result));
        Assert.True(result.Verdict.ByInvariant.GetValueOrDefault("I1") > 0, ReportText.Of(result));
    }

    [Fact]
    public async Task A_store_that_drops_writes_is_caught_as_I3()
    {
        var result = await RunAsync(Options(4), () => new DroppingStore(new CasMemoryStore(), oneIn: 25), "dropping");

        Assert.True(result.Verdict.ByInvariant.GetValueOrDefault("I3") > 0, ReportText.Of(result));
        Assert.Equal(0, result.Verdict.ByInvariant.GetValueOrDefault("I1"));
    }

    [Fact]
    public async Task A_store_that_corrupts_bytes_is_caught_as_I2()
    {
        var result = await RunAsync(Options(2), () => new CorruptingStore(new CasMemoryStore(), oneIn: 30), "corrupting");

        Assert.True(result.Verdict.ByInvariant.GetValueOrDefault("I2") > 0, ReportText.Of(result));
        Assert.Contains("checksum", ReportText.Of(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Injected_faults_are_started_stopped_counted_and_turn_I3_off()
    {
        SlowStore? store = null;
        var fault = new SwitchFault("slow-store", on => store!.Slow = on);
        var target = new CheckTarget("memory, slowed", () => store = new SlowStore(new CasMemoryStore()), [fault]);
        var options = Options(4);

        var result = await new CheckRunner(options, target).RunAsync();
        output.WriteLine(options.Describe(target));
        output.WriteLine(ReportText.Of(result));

        Assert.True(fault.Started >= 1);
        Assert.Equal(fault.Started, fault.Stopped);
        Assert.Equal(fault.Started, result.Summary.Faults);
        Assert.Equal(fault.Started, result.History.Operations.Count(o => o.Kind == OpKind.Fault));
        Assert.False(result.Verdict.LocalityJudged);
        Assert.Contains("faults=slow-store", options.Describe(target), StringComparison.Ordinal);
        Assert.True(result.Summary.Violations == 0, ReportText.Of(result));
        Assert.True(result.Summary.Hits > 1_000 && result.Summary.Invalidations > 100, result.Summary.Line);
    }

    [Fact]
    public async Task The_command_prints_the_summary_line_last_and_exits_by_the_verdict()
    {
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter();
        var clean = await CheckCommand.RunAsync(Options(1), CheckTarget.InProcess(), stdout, stderr);
        var lines = stdout.ToString().TrimEnd('\n').Split('\n');

        Assert.Equal(0, clean);
        Assert.StartsWith("check: seed=20261125 ", lines[0], StringComparison.Ordinal);
        Assert.Matches(SummaryLine(), lines[^1]);
        Assert.EndsWith(" faults=0 violations=0", lines[^1], StringComparison.Ordinal);

        using var brokenOut = new StringWriter { NewLine = "\n" };
        var broken = await CheckCommand.RunAsync(
            Options(3), new CheckTarget("lost", () => new LostInvalidationStore(new CasMemoryStore()), []), brokenOut, stderr);
        var report = brokenOut.ToString();
        Assert.Equal(1, broken);
        Assert.Contains("violation 1 of ", report, StringComparison.Ordinal);
        Assert.Contains("[I1]", report, StringComparison.Ordinal);
        Assert.Matches(SummaryLine(), report.TrimEnd('\n').Split('\n')[^1]);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("restart,bogus")]
    public async Task Unknown_faults_are_refused(string faults)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var options = Options(1);
        options.Faults = CheckOptions.ParseFaults(faults);

        Assert.Equal(2, await CheckCommand.RunAsync(options, CheckTarget.InProcess(), stdout, stderr));
        Assert.Contains("unknown fault 'bogus'", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal("", stdout.ToString());
    }

    [Fact]
    public async Task The_tenantcache_check_command_runs_from_the_built_cli()
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "TenantCache.Cli.dll");
        var start = new ProcessStartInfo("dotnet", [cli, "check", "--seconds", "1", "--workers", "4", "--seed", "7"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine(stdout);

        Assert.Equal(0, process.ExitCode);
        Assert.StartsWith("check: seed=7 seconds=1 workers=4 ", stdout, StringComparison.Ordinal);
        Assert.Matches(SummaryLine(), stdout.TrimEnd('\n').Split('\n')[^1]);
    }

    [GeneratedRegex(@"^ops=\d+ reads=\d+ hits=\d+ invalidations=\d+ faults=\d+ violations=\d+$")]
    private static partial Regex SummaryLine();
}
