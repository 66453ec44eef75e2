using System.Diagnostics;
using System.Text.RegularExpressions;

namespace TenantCache.Tests.AspNetCore;

/// <summary>
/// The origin sample as its users run it: its own process on Kestrel, from its build output (with its
/// appsettings.json), configured on the command line, listening on a free loopback port.
/// </summary>
internal sealed partial class OriginSampleProcess : IAsyncDisposable
{
    private readonly Process _process;

    private OriginSampleProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<OriginSampleProcess> StartAsync(params string[] settings)
    {
        var dll = SampleAssemblyPath();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        foreach (var setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                listening.TrySetException(new InvalidOperationException("The sample exited: " + string.Join('\n', output)));
                return;
            }

            output.Enqueue(e.Data);
            if (ListeningLine().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                output.Enqueue(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            return new OriginSampleProcess(process, address);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>The sample's build output, in the configuration the tests were built in.</summary>
    private static string SampleAssemblyPath()
    {
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = baseDir.Name;             // net10.0
        var configuration = baseDir.Parent!.Name; // Debug or Release
        var root = baseDir;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "TenantCache.slnx")))
        {
            root = root.Parent;
        }

        var dll = Path.Combine(root?.FullName ?? ".", "samples", "TenantCache.OriginSample", "bin", configuration, framework, "TenantCache.OriginSample.dll");
        Assert.True(File.Exists(dll), $"The origin sample is not built at {dll}: build the solution (dotnet build TenantCache.slnx) before the tests.");
        return dll;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
