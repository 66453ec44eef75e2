using System.Diagnostics;
using TenantCache.Cli;
using TenantCache.Stores;

namespace TenantCache.Tests.Cli;

public sealed class DemoCommandTests
{
    /// <summary>The seven lines the project grew from, exactly.</summary>
    internal static readonly string[] SeedLines =
    [
        "Setting Lisboa cache...",
        "Lisboa cached /info is: 2 days",
        "Setting Barcelona cache...",
        "Barcelona cached /info is: 3 days",
        "Clearing Barcelona cache...",
        "Barcelona cached /info is: None",
        "Lisboa cached /info is: 2 days",
    ];

    [Fact]
    public async Task The_demo_prints_the_seed_scenario_exactly_then_the_two_applications()
    {
        using var output = new StringWriter { NewLine = "\n" };
        await DemoCommand.RunAsync(new MemoryCacheStore(), output);
        var lines = output.ToString().Split('\n');

        Assert.Equal(SeedLines, lines[..7]);
        Assert.Equal("", lines[7]);
        Assert.Contains("weather: Lisboa cached /info is: None", lines);
        Assert.Contains("news: Lisboa cached /info is: 5 headlines", lines);
    }

    [Fact]
    public async Task The_tenantcache_demo_command_prints_the_seed_lines_on_standard_output()
    {
        // The real entry point, as README's first command runs it (the built assembly, not dotnet run,
        // to keep the test fast).
        var cli = Path.Combine(AppContext.BaseDirectory, "TenantCache.Cli.dll");
        Assert.True(File.Exists(cli), $"missing {cli}");
        var start = new ProcessStartInfo("dotnet", [cli, "demo"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, process.ExitCode);
        Assert.Equal(SeedLines, stdout.Split('\n')[..7]);
    }
}
