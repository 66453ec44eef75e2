using System.Text.RegularExpressions;
using TenantCache.Cli;
using TenantCache.Cli.Check;

namespace TenantCache.Tests.Cli;

/// <summary>
/// The tool's contract with a person at a shell: mistakes are one line on standard error naming the
/// option, exit code 2, nothing on standard output; help is honest; a check that reached no store fails.
/// </summary>
public sealed class UsageTests
{
    [Theory]
    [InlineData("clear", "--bogus")]
    [InlineData("clear")]
    [InlineData("locate", "--servers")]
    [InlineData("check", "--seconds", "soon")]
    [InlineData("check", "--token-window", "100", "--mixed-windows")]
    [InlineData("nosuchcommand")]
    public async Task A_parse_error_is_one_line_on_standard_error_and_exit_code_2(params string[] args)
    {
        var (exit, stdout, stderr) = await CliProcess.ToolAsync(args);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("tenantcache", stderr);
        Assert.DoesNotContain("Usage:", stderr);
    }

    [Theory]
    [InlineData("--tenant", "clear", "--servers", "127.0.0.1:1", "--app", "a", "--tenant", " ")]
    [InlineData("--scope", "clear", "--servers", "127.0.0.1:1", "--app", "a", "--tenant", "t", "--scope", "")]
    [InlineData("--tag", "clear", "--servers", "127.0.0.1:1", "--app", "a", "--tag", "")]
    [InlineData("--servers", "locate", "--servers", "127.0.0.1:1,127.0.0.1:1", "k")]
    [InlineData("--token-window", "check", "--token-window", "2000")]
    [InlineData("--token-window", "clear", "--servers", "127.0.0.1:1", "--app", "a", "--token-window", "soon")]
    public async Task A_rejected_value_is_said_about_the_option_never_a_parameter_name(string option, params string[] args)
    {
        var (exit, stdout, stderr) = await CliProcess.ToolAsync(args);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains(option + ":", stderr);
        Assert.DoesNotContain("(Parameter", stderr);
        Assert.DoesNotContain("tenantId", stderr);
    }

    [Fact]
    public async Task Demo_with_an_empty_server_list_is_an_error_not_the_in_process_store()
    {
        var (exit, stdout, stderr) = await CliProcess.ToolAsync("demo", "--servers", "");

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith("tenantcache demo: --servers: ", stderr);
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("locate")]
    [InlineData("clear")]
    [InlineData("check")]
    public async Task Help_says_tenantcache_and_never_calls_an_option_both_required_and_defaulted(string command)
    {
        var (exit, stdout, _) = await CliProcess.ToolAsync(command, "--help");

        Assert.Equal(0, exit);
        Assert.Matches($"(?m)^  tenantcache {command} ", stdout);
        Assert.DoesNotContain("TenantCache.Cli", stdout);
        foreach (var line in stdout.Split('\n'))
        {
            Assert.False(line.Contains("REQUIRED", StringComparison.Ordinal) && line.Contains("default", StringComparison.OrdinalIgnoreCase), line);
        }
    }

    [Fact]
    public async Task Check_against_servers_that_never_answer_fails_with_the_reason()
    {
        var options = new CheckOptions { Seconds = 2, Workers = 4, Seed = 1, Servers = "127.0.0.1:1" };
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await CheckCommand.RunAsync(options, stdout, stderr);

        Assert.Equal(1, exit);
        Assert.Contains("violations=0", stdout.ToString());
        Assert.Contains("not counted: only ", stdout.ToString());
        Assert.StartsWith("check failed: only ", stderr.ToString());
    }

    [Theory]
    [InlineData(100, 49, false)]
    [InlineData(100, 50, false)]
    [InlineData(100, 51, true)]
    [InlineData(0, 0, true)]
    public void A_run_counts_only_when_at_least_half_of_its_operations_reached_the_store(long ops, long unserved, bool insufficient)
    {
        var summary = new CheckSummary { Ops = ops, Unserved = unserved };
        Assert.Equal(insufficient, summary.Insufficient is not null);
    }

    [Fact]
    public void Every_option_of_every_command_is_documented_in_docs_cli_md()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "cli.md"));
        foreach (var command in TenantCacheCommand.Create().Subcommands)
        {
            var section = Section(doc, command.Name);
            Assert.False(section is null, $"docs/cli.md has no section '## {command.Name}'");
            foreach (var option in command.Options)
            {
                Assert.True(section.Contains(option.Name, StringComparison.Ordinal), $"docs/cli.md, {command.Name}: {option.Name} is not documented");
            }
        }

        Assert.DoesNotContain("tenantcache bench", doc, StringComparison.Ordinal);
        Assert.DoesNotContain("port defaults to", doc, StringComparison.Ordinal);
    }

    private static string? Section(string doc, string name)
    {
        var match = Regex.Match(doc, $"^## {name}\\s*$(.*?)(?=^## |\\z)", RegexOptions.Multiline | RegexOptions.Singleline);
        return match.Success ? match.Groups[1].Value : null;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TenantCache.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("TenantCache.slnx not found above " + AppContext.BaseDirectory);
    }
}
