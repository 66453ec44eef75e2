using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TenantCache.Cli.Local;

/// <summary>
/// A memcached process of our own on a free 127.0.0.1 port, for the commands that need one (bench,
/// check with faults) and for the tests. It can be killed, paused (SIGSTOP), resumed (SIGCONT) and
/// restarted on the same port. A missing binary is an error saying how to install it.
/// </summary>
internal sealed class MemcachedProcess : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(15);
    private readonly string[] _extraArgs;
    private Process? _process;

    private MemcachedProcess(int port, string[] extraArgs)
    {
        Port = port;
        _extraArgs = extraArgs;
    }

    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>, as <c>--servers</c> takes it.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The memcached binary: $MEMCACHED_PATH, /usr/bin/memcached, or the first on PATH.</summary>
    public static string BinaryPath => FindBinary() ?? throw new InvalidOperationException(
        "memcached was not found (looked at $MEMCACHED_PATH, /usr/bin/memcached and PATH). Install it with: apt-get install -y memcached");

    /// <summary>Starts memcached with extra arguments (for example "-m", "8") and waits until it accepts connections.</summary>
    public static async Task<MemcachedProcess> StartAsync(params string[] extraArgs)
    {
        _ = BinaryPath;
        Exception? last = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var server = new MemcachedProcess(FreePort(), extraArgs);
            try
            {
                await server.LaunchAsync().ConfigureAwait(false);
                return server;
            }
            catch (InvalidOperationException ex)
            {
                last = ex; // the port was taken between probing and binding: try another
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException("memcached could not be started on a free loopback port.", last);
    }

    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            Signal("CONT"); // a stopped process must run to die promptly
            process.Kill();
            process.WaitForExit(5000);
        }
    }

    /// <summary>Stops the process (SIGSTOP) and returns once the kernel reports it stopped.</summary>
    public void Pause()
    {
        Signal("STOP");
        WaitForState(stopped: true);
    }

    /// <summary>Continues a paused process (SIGCONT) and returns once it runs again.</summary>
    public void Resume()
    {
        Signal("CONT");
        WaitForState(stopped: false);
    }

    /// <summary>Kills the process (if alive) and starts a fresh, empty one on the same port.</summary>
    public async Task RestartAsync()
    {
        Kill();
        _process?.Dispose();
        _process = null;
        var deadline = DateTime.UtcNow + s_startTimeout;
        while (true)
        {
            try
            {
                await LaunchAsync().ConfigureAwait(false);
                return;
            }
            catch (InvalidOperationException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100).ConfigureAwait(false); // the old socket may linger briefly
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        _process = null;
        return ValueTask.CompletedTask;
    }

    public override string ToString() => $"memcached {Endpoint} {string.Join(' ', _extraArgs)}";

    private async Task LaunchAsync()
    {
        var start = new ProcessStartInfo(BinaryPath) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-l", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "0" })
        {
            start.ArgumentList.Add(arg);
        }

        if (Environment.UserName == "root")
        {
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add("nobody");
        }

        foreach (var arg in _extraArgs)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("memcached did not start.");
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = DateTime.UtcNow + s_startTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"memcached exited at start with code {process.ExitCode} ({this}).");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(20).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException($"memcached did not accept connections within {s_startTimeout.TotalSeconds} s ({this}).");
    }

    private void Signal(string signal)
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false });
        kill?.WaitForExit(5000);
    }

    private void WaitForState(bool stopped)
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        var stat = $"/proc/{process.Id}/stat";
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline && File.Exists(stat))
        {
            // Field 3 of /proc/PID/stat, after the parenthesised name: T (stopped) or t (traced).
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..][0];
            if ((state is 'T' or 't') == stopped)
            {
                return;
            }

            Thread.Sleep(5);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindBinary()
    {
        var configured = Environment.GetEnvironmentVariable("MEMCACHED_PATH");
        if (!string.IsNullOrEmpty(configured) && File.Exists(configured))
        {
            return configured;
        }

        if (File.Exists("/usr/bin/memcached"))
        {
            return "/usr/bin/memcached";
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "memcached");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
