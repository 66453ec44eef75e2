using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TenantCache.Cli.Local;

/// <summary>
/// A local memcached process on a free 127.0.0.1 port (for <c>tenantcache bench</c> and the tests):
/// started with <see cref="StartAsync"/>, ready once it answers <c>mn</c>; it can be killed,
/// frozen (SIGSTOP), thawed (SIGCONT) and restarted empty on the same port. Disposing kills it.
/// </summary>
internal sealed class MemcachedProcess : IAsyncDisposable
{
    /// <summary>What to tell a user whose machine has no memcached.</summary>
    public const string InstallHint = "Install it with: apt-get install -y memcached";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private static readonly List<MemcachedProcess> Running = [];

    private readonly string[] _extraArgs;
    private readonly StringBuilder _stderr = new();
    private Process? _process;

    static MemcachedProcess()
    {
        // A process that exits without disposing its servers must not leave them behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            lock (Running)
            {
                foreach (var server in Running.ToArray())
                {
                    server.Kill();
                }
            }
        };
    }

    private MemcachedProcess(int port, string[] extraArgs)
    {
        Port = port;
        _extraArgs = extraArgs;
    }

    /// <summary>The loopback port the server listens on (kept across <see cref="RestartAsync"/>).</summary>
    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>, the form <c>MemcachedOptions.Servers</c> takes.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>The process id, while running.</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>Whether the process is alive (paused counts as alive).</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The extra arguments the server was started with.</summary>
    public IReadOnlyList<string> ExtraArguments => _extraArgs;

    /// <summary>Path of the memcached binary: $MEMCACHED_PATH, /usr/bin/memcached, or the first on PATH.</summary>
    public static string BinaryPath => FindBinary() ?? throw new InvalidOperationException(
        "The memcached binary was not found (looked at $MEMCACHED_PATH, /usr/bin/memcached and PATH). " + InstallHint);

    /// <summary>Whether a memcached binary can be found.</summary>
    public static bool IsInstalled => FindBinary() is not null;

    /// <summary>
    /// Starts memcached on a free loopback port (<c>-l 127.0.0.1 -p PORT -U 0</c>, <c>-u nobody</c> when
    /// running as root) with optional extra arguments (e.g. "-m", "8", "-I", "2m").
    /// </summary>
    public static async Task<MemcachedProcess> StartAsync(params string[] extraArgs)
    {
        _ = BinaryPath;
        Exception? last = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var server = new MemcachedProcess(FreePort(), extraArgs);
            try
            {
                await server.LaunchAsync();
                return server;
            }
            catch (InvalidOperationException e)
            {
                // Most likely the port was taken between picking and binding: try another one.
                last = e;
                server.Kill();
            }
        }

        throw new InvalidOperationException("Could not start memcached after 5 attempts.", last);
    }

    /// <summary>Kills the process (SIGKILL); clients see their connections reset.</summary>
    public void Kill()
    {
        var process = _process;
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        process.Dispose();
        _process = null;
        lock (Running)
        {
            Running.Remove(this);
        }
    }

    /// <summary>Freezes the process (SIGSTOP) and returns once the kernel reports it stopped.</summary>
    public void Pause()
    {
        Signal("STOP");
        WaitForState(stopped: true);
    }

    /// <summary>Thaws a paused process (SIGCONT) and returns once it runs again.</summary>
    public void Resume()
    {
        Signal("CONT");
        WaitForState(stopped: false);
    }

    // Field 3 of /proc/PID/stat, after the parenthesised name: T (stopped) or t (traced).
    private void WaitForState(bool stopped)
    {
        if (ProcessId is not { } pid)
        {
            return;
        }

        var stat = $"/proc/{pid}/stat";
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline && File.Exists(stat))
        {
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..][0];
            if ((state is 'T' or 't') == stopped)
            {
                return;
            }

            Thread.Sleep(5);
        }
    }

    /// <summary>Kills the process if running and starts a fresh one (empty cache) on the same port.</summary>
    public async Task RestartAsync()
    {
        Kill();
        var until = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                await LaunchAsync();
                return;
            }
            catch (InvalidOperationException) when (DateTime.UtcNow < until)
            {
                Kill();
                await Task.Delay(100);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }

    public override string ToString() => $"memcached {Endpoint} {string.Join(' ', _extraArgs)}";

    private void Signal(string signal)
    {
        var pid = ProcessId ?? throw new InvalidOperationException("memcached is not running.");
        var info = new ProcessStartInfo("kill") { UseShellExecute = false };
        info.ArgumentList.Add("-" + signal);
        info.ArgumentList.Add(pid.ToString(CultureInfo.InvariantCulture));
        using var kill = Process.Start(info) ?? throw new InvalidOperationException("Could not run kill.");
        kill.WaitForExit(10_000);
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed with exit code {kill.ExitCode}.");
        }
    }

    private async Task LaunchAsync()
    {
        var info = new ProcessStartInfo(BinaryPath)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-l", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "0" })
        {
            info.ArgumentList.Add(arg);
        }

        if (Environment.IsPrivilegedProcess && !_extraArgs.Contains("-u"))
        {
            // memcached refuses to run as root without -u.
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add("nobody");
        }

        foreach (var arg in _extraArgs)
        {
            info.ArgumentList.Add(arg);
        }

        lock (_stderr)
        {
            _stderr.Clear();
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Process.Start returned null for memcached.");
        process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;
        lock (Running)
        {
            Running.Add(this);
        }

        var until = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < until)
        {
            if (process.HasExited)
            {
                string err;
                lock (_stderr)
                {
                    err = _stderr.ToString();
                }

                throw new InvalidOperationException($"memcached exited with code {process.ExitCode} on port {Port}: {err}");
            }

            if (await AcceptsAsync(Port))
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new InvalidOperationException($"memcached did not accept connections on port {Port} within {StartTimeout}.");
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
            await socket.SendAsync("mn\r\n"u8.ToArray(), SocketFlags.None, timeout.Token);
            var reply = new byte[4];
            var read = await socket.ReceiveAsync(reply, SocketFlags.None, timeout.Token);
            return read > 0 && reply[0] == (byte)'M';
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
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

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
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
