using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using TenantCache.Benchmarks.Herd;
using TenantCache.Tests.Cli;

namespace TenantCache.Tests.Bench;

/// <summary>
/// The benchmarks project's <c>herd</c>: its smallest run end to end (a local memcached, one worker process,
/// every contender), the round summary on made-up reads, its usage errors and its documentation. The
/// numbers of a run are not asserted beyond "the factory ran": they are the benchmark's to report.
/// </summary>
public sealed class HerdCommandTests
{
    private static readonly string[] Contenders = ["tenantcache", "tenantcache-stale", "tenantcache-nolease", "fusion", "hybrid"];

    [Fact]
    public async Task A_tiny_herd_run_reports_factory_runs_for_every_contender()
    {
        var json = Path.Combine(Path.GetTempPath(), $"tenantcache-herd-{Guid.NewGuid():N}.json");
        try
        {
            var (exit, stdout, stderr) = await CliProcess.BenchmarksAsync(
                "herd", "--processes", "1", "--callers", "2", "--keys", "2", "--clears", "1", "--factory-ms", "5", "--window-ms", "300",
                "--contenders", string.Join(',', Contenders), "--json", json);
            Assert.True(exit == 0, stderr + stdout);
            Assert.Contains("Started a local memcached", stderr);
            Assert.Contains("How each contender clears the tenant", stdout);

            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            var rows = document.RootElement.GetProperty("contenders").EnumerateArray().ToList();
            Assert.Equal(Contenders, rows.Select(r => r.GetProperty("name").GetString()));
            foreach (var row in rows)
            {
                Assert.True(row.GetProperty("failure").ValueKind == JsonValueKind.Null, row.ToString());
                Assert.Equal(1, row.GetProperty("rounds").GetInt32());
                Assert.True(row.GetProperty("factoryRunsPerKeyMean").GetDouble() > 0, row.ToString());
                Assert.True(row.GetProperty("factoryRunsPerKeyMax").GetInt64() >= 1, row.ToString());
                Assert.True(row.GetProperty("reads").GetInt64() > 0, row.ToString());
                Assert.False(string.IsNullOrEmpty(row.GetProperty("clearMethod").GetString()));
            }
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Fact]
    public void The_round_summary_counts_the_recompute_window_stale_and_waited_reads()
    {
        long Ms(double ms) => (long)(ms / 1000 * Stopwatch.Frequency);
        var caller = new CallerRecord();
        caller.Samples.AddRange(
        [
            new HerdSample(Ms(0), Ms(1), 0, 0),      // before the clear: not in the window
            new HerdSample(Ms(101), Ms(102), 0, 0),  // stale, fast
            new HerdSample(Ms(102), Ms(160), 0, 1),  // waited for the factory: key 0 fresh at 160
            new HerdSample(Ms(110), Ms(170), 1, 1),  // waited: key 1 fresh at 170, every key fresh
            new HerdSample(Ms(165), Ms(166), 1, 0),  // still in the window (begun before 170), stale
            new HerdSample(Ms(175), Ms(176), 0, 0),  // after the window, and stale after key 0 was fresh
        ]);

        FactoryRun[] runs = [new(0, Ms(99)), new(0, Ms(102)), new(1, Ms(110))];
        var result = HerdRoundResult.Summarize(1, 0, 2, [caller], runs, Ms(100), Ms(100.5), 50, (false, 0));

        Assert.Equal([2L, 1L], result.FactoryRuns);
        Assert.Equal(1, result.EarlyRuns);
        Assert.Equal(70, result.RecomputeMs!.Value, 0.5);
        Assert.Equal(4, result.WindowReads);
        Assert.Equal(2, result.Stale);
        Assert.Equal(2, result.Waited);
        Assert.Equal(1, result.StaleAfterFresh);
        Assert.Equal(6, result.Reads);
        Assert.Equal(4, result.Latency.Count);
        Assert.InRange(result.Latency.Percentile(0.99), 58_000, 62_000);
    }

    [Fact]
    public void The_factory_value_names_its_round()
    {
        Assert.Equal(7, HerdLoad.Generation(HerdLoad.Value(3, 7, 2)));
        Assert.Equal(-1, HerdLoad.Generation("not ours"));
    }

    [Fact]
    public void Every_herd_option_is_documented_in_docs_cli_md()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "TenantCache.slnx")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var doc = File.ReadAllText(Path.Combine(root.FullName, "docs", "cli.md"));
        var section = Regex.Match(doc, "^## herd\\b(.*?)(?=^## |\\z)", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(section.Success, "docs/cli.md has no section '## herd'");
        foreach (var option in HerdCommand.Create().Options.Where(o => o.Name.StartsWith("--", StringComparison.Ordinal)))
        {
            Assert.True(section.Groups[1].Value.Contains(option.Name, StringComparison.Ordinal), $"docs/cli.md, herd: {option.Name} is not documented");
        }
    }

    [Theory]
    [InlineData("herd", "--contenders", "bogus")]
    [InlineData("herd", "--factory-ms", "500", "--window-ms", "400")]
    public async Task A_herd_usage_error_is_one_line_on_standard_error_and_exit_code_2(params string[] args)
    {
        var (exit, stdout, stderr) = await CliProcess.BenchmarksAsync(args);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
