using TenantCache.Tests.Cli;

namespace TenantCache.Tests.Bench;

/// <summary>The benchmarks project's <c>soak</c> in its smallest run, and its usage errors.</summary>
public sealed class SoakCommandTests
{
    [Fact]
    public async Task A_short_soak_reports_operations_connections_per_node_log_lines_and_memory()
    {
        var (exit, stdout, stderr) = await CliProcess.BenchmarksAsync(
            "soak", "--seconds", "3", "--workers", "4", "--report-every", "1", "--late-every", "20", "--late-ms", "300", "--timeout-ms", "100");

        Assert.True(exit == 0, stderr + stdout);
        Assert.Contains("(slow: +0 ms, 0.05 of replies +300 ms)", stdout);
        var end = stdout[stdout.IndexOf("end:", StringComparison.Ordinal)..];
        foreach (var field in new[] { "ops=", "store_errors=", "node_down=", "node_up=", "log_lines[warn+]=", "working_set=", "threadpool_threads=", "node0:opened=", "node2:opened=" })
        {
            Assert.Contains(field, end);
        }

        Assert.Matches(@"late_replies=[1-9]", end);
        Assert.Contains("unexpected_exceptions=0", stdout);
    }

    [Theory]
    [InlineData("soak", "--seconds", "0")]
    [InlineData("soak", "--bogus")]
    [InlineData("bench", "--rounds", "0")]
    public async Task A_usage_error_is_one_line_on_standard_error_and_exit_code_2(params string[] args)
    {
        var (exit, stdout, stderr) = await CliProcess.BenchmarksAsync(args);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
