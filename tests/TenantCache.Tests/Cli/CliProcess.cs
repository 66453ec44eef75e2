using System.Diagnostics;

namespace TenantCache.Tests.Cli;

/// <summary>Runs a built entry point of the repository (the tool, or the benchmarks' commands) as a process.</summary>
internal static class CliProcess
{
    /// <summary>The shipped tool, <c>tenantcache</c>.</summary>
    public static Task<(int Exit, string Stdout, string Stderr)> ToolAsync(params string[] args) => RunAsync("TenantCache.Cli.dll", args);

    /// <summary>The benchmarks project's commands (<c>bench</c>, <c>soak</c>), which do not ship.</summary>
    public static Task<(int Exit, string Stdout, string Stderr)> BenchmarksAsync(params string[] args) => RunAsync("TenantCache.Benchmarks.dll", args);

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string assembly, string[] args)
    {
        var path = Path.Combine(AppContext.BaseDirectory, assembly);
        Assert.True(File.Exists(path), $"missing {path}");
        var start = new ProcessStartInfo("dotnet", [path, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
