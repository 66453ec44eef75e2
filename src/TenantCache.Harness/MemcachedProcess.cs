using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TenantCache.Harness;

/// <summary>
/// A local memcached process on a free 127.0.0.1 port (for the tests, the benchmarks and <c>tenantcache check --nodes</c>):
/// started with <see cref="StartAsync"/>, ready once it answers <c>mn</c>; it can be killed,
/// frozen (SIGSTOP), thawed (SIGCONT) and restarted empty on the same port. Disposing kills it.
/// </summary>
public sealed partial class MemcachedProcess : IAsyncDisposable, ILocalServer
{
    /// <summary>What to tell a user whose machine has no memcached.</summary>
    public const string InstallHint = "Install it with: apt-get install -y memcached";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly string[] _extraArgs;
    private readonly StringBuilder _output = new();
    private Process? _process;

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
    public static Task<MemcachedProcess> StartAsync(params string[] extraArgs)
    {
        _ = BinaryPath;
        return LocalProcesses.StartOnFreePortAsync(port => new MemcachedProcess(port, extraArgs), s => s.LaunchAsync(), s => s.Kill(), "memcached");
    }

    /// <summary>Kills the process (SIGKILL); clients see their connections reset.</summary>
    public void Kill()
    {
        var process = _process;
        if (process is null)
        {
            return;
        }

        LocalProcesses.Kill(process);
        _process = null;
    }

    /// <summary>Kills the process if running and starts a fresh one (empty cache) on the same port.</summary>
    public Task RestartAsync() => LocalProcesses.RelaunchAsync(LaunchAsync, Kill, StartTimeout);

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override string ToString() => $"memcached {Endpoint} {string.Join(' ', _extraArgs)}";
}
