using System.Diagnostics;
using System.Runtime.InteropServices;

namespace TenantCache.Tests.Packaging;

/// <summary>
/// The tool as a user gets it: packed from the repository, installed with <c>dotnet tool install</c>
/// from a local folder, run by its command name. Everything lives in a temporary folder of its own
/// (build output, feed, tool path, package cache); nothing is written to the work tree.
/// </summary>
[Collection(nameof(ToolInstallCollection))]
public sealed class ToolInstallTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "tenantcache-tool-install-" + Guid.NewGuid().ToString("N")[..12]);

    public ToolInstallTests() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open must not fail the test; the folder is in the temp directory.
        }
    }

    [Fact]
    public async Task The_packed_tool_installs_from_a_local_folder_and_runs_the_demo()
    {
        var feed = Path.Combine(_root, "feed");
        var repository = RepositoryRoot();

        // Packs into its own artifacts folder, so a build of the work tree running at the same time
        // never shares an obj/ or bin/ folder with it. Restore reads the packages the test build restored.
        var pack = await RunAsync(DotnetHost(), repository, TimeSpan.FromMinutes(10), [],
            "pack", Path.Combine(repository, "src", "TenantCache.Cli", "TenantCache.Cli.csproj"),
            "-c", "Release", "-o", feed, "--artifacts-path", Path.Combine(_root, "artifacts"),
            "-nodeReuse:false", "-p:UseSharedCompilation=false");
        Assert.True(pack.ExitCode == 0, "dotnet pack failed:\n" + pack.Output);

        var package = Assert.Single(Directory.GetFiles(feed, "TenantCache.Cli.*.nupkg"), f => f.EndsWith(".nupkg", StringComparison.Ordinal));
        var version = Path.GetFileName(package)["TenantCache.Cli.".Length..^".nupkg".Length];

        // Only the local folder as a source (no network), and a package cache of the test's own, so
        // an older TenantCache.Cli of the same version in the machine's cache is never picked up.
        var config = Path.Combine(_root, "nuget.config");
        await File.WriteAllTextAsync(config, """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
              </packageSources>
            </configuration>
            """);
        var tools = Path.Combine(_root, "tools");
        var install = await RunAsync(DotnetHost(), _root, TimeSpan.FromMinutes(2), [("NUGET_PACKAGES", Path.Combine(_root, "packages"))],
            "tool", "install", "--tool-path", tools, "--add-source", feed, "--configfile", config,
            "TenantCache.Cli", "--version", version);
        Assert.True(install.ExitCode == 0, "dotnet tool install failed:\n" + install.Output);

        var command = Path.Combine(tools, OperatingSystem.IsWindows() ? "tenantcache.exe" : "tenantcache");
        var demo = await RunAsync(command, _root, TimeSpan.FromMinutes(1), [("DOTNET_ROOT", DotnetRoot())], "demo");

        Assert.True(demo.ExitCode == 0, "tenantcache demo failed:\n" + demo.Output);
        Assert.Contains("Barcelona cached /info is: None", demo.Output, StringComparison.Ordinal);
        Assert.Contains("Lisboa cached /info is: 2 days", demo.Output, StringComparison.Ordinal);
        Assert.Contains("news: Lisboa cached /info is: 5 headlines", demo.Output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(
        string fileName, string workingDirectory, TimeSpan timeout, (string Name, string Value)[] environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No build server or reused node may outlive the command: it would hold the output pipes open.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The dotnet that runs the tests (the SDK sets DOTNET_HOST_PATH), else the one on the PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>The installation the tests run on: .../shared/Microsoft.NETCore.App/&lt;version&gt;/ is three levels below it.</summary>
    private static string DotnetRoot() =>
        Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

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

/// <summary>
/// Packing compiles three projects on a machine whose cores the other tests share; run alone, after
/// the parallel tests, so it cannot slow a timing-sensitive one.
/// </summary>
[CollectionDefinition(nameof(ToolInstallCollection), DisableParallelization = true)]
public sealed class ToolInstallCollection;
