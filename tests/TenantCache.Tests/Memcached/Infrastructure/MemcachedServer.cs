using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TenantCache.Tests.Memcached.Infrastructure;

/// <summary>
/// A real memcached process on a free loopback port, for tests. Start one with
/// <see cref="StartAsync"/>, e.g. <c>await using var server = await MemcachedServer.StartAsync("-m", "8");</c>,
/// and point a client at <see cref="Endpoint"/>. A missing binary is a failure, never a skip.
/// </summary>
public sealed class MemcachedServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private static readonly List<MemcachedServer> Running = [];

    private readonly string[] _extraArgs;
    private readonly StringBuilder _stderr = new();
    private Process? _process;

    static MemcachedServer()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            lock (Running)
            {
                foreach (MemcachedServer server in Running.ToArray())
                {
                    server.Kill();
                }
            }
        };
    }

    private MemcachedServer(int port, string[] extraArgs)
    {
        Port = port;
        _extraArgs = extraArgs;
    }

    /// <summary>The loopback port the server listens on (kept across <see cref="RestartAsync"/>).</summary>
    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>, the form MemcachedOptions.Servers takes.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>The process id, while running.</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>Whether the process is alive (paused counts as alive).</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Path of the memcached binary: $MEMCACHED_PATH, /usr/bin/memcached, or the first on PATH.</summary>
    public static string BinaryPath => FindBinary() ?? throw new InvalidOperationException(
        "The memcached binary was not found (looked at $MEMCACHED_PATH, /usr/bin/memcached and PATH). " +
        "Install it with: apt-get install -y memcached");

    /// <summary>Starts memcached on a free loopback port with optional extra arguments (e.g. "-m", "8", "-I", "2m").</summary>
    public static async Task<MemcachedServer> StartAsync(params string[] extraArgs)
    {
        _ = BinaryPath;
        Exception? last = null;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            var server = new MemcachedServer(FreePort(), extraArgs);
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
        Process? process = _process;
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

    /// <summary>
    /// Freezes the process (SIGSTOP) and returns once the kernel reports it stopped: connections stay
    /// open but nothing is answered.
    /// </summary>
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

    /// <summary>Kills the process if running and starts a fresh one (empty cache) on the same port.</summary>
    public async Task RestartAsync()
    {
        Kill();
        DateTime until = DateTime.UtcNow + StartTimeout;
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

    private void WaitForState(bool stopped)
    {
        int pid = ProcessId ?? throw new InvalidOperationException("memcached is not running.");
        DateTime until = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < until)
        {
            // /proc/<pid>/stat: "pid (comm) S ..." where S is T when stopped by a signal.
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            char state = stat[stat.LastIndexOf(')') + 2];
            if ((state == 'T') == stopped)
            {
                return;
            }

            Thread.Sleep(5);
        }

        throw new InvalidOperationException($"memcached {pid} did not become {(stopped ? "stopped" : "running")} within 10 s.");
    }

    private void Signal(string signal)
    {
        int pid = ProcessId ?? throw new InvalidOperationException("memcached is not running.");
        var info = new ProcessStartInfo("kill") { UseShellExecute = false };
        info.ArgumentList.Add("-" + signal);
        info.ArgumentList.Add(pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using Process kill = Process.Start(info) ?? throw new InvalidOperationException("Could not run kill.");
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
        foreach (string arg in new[] { "-l", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "0" })
        {
            info.ArgumentList.Add(arg);
        }

        if (Environment.IsPrivilegedProcess)
        {
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add("root");
        }

        foreach (string arg in _extraArgs)
        {
            info.ArgumentList.Add(arg);
        }

        _stderr.Clear();
        var process = Process.Start(info) ?? throw new InvalidOperationException("Process.Start returned null for memcached.");
        process.ErrorDataReceived += (_, e) => { lock (_stderr) { _stderr.AppendLine(e.Data); } };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;
        lock (Running)
        {
            Running.Add(this);
        }

        DateTime until = DateTime.UtcNow + StartTimeout;
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
            byte[] reply = new byte[4];
            int read = await socket.ReceiveAsync(reply, SocketFlags.None, timeout.Token);
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
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string? FindBinary()
    {
        string? configured = Environment.GetEnvironmentVariable("MEMCACHED_PATH");
        if (!string.IsNullOrEmpty(configured) && File.Exists(configured))
        {
            return configured;
        }

        if (File.Exists("/usr/bin/memcached"))
        {
            return "/usr/bin/memcached";
        }

        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            string candidate = Path.Combine(dir, "memcached");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
