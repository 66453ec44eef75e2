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
public sealed partial class MemcachedServer : IAsyncDisposable
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
}
