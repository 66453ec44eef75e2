using TenantCache.Harness;

namespace TenantCache.Tests.Memcached.Infrastructure;

/// <summary>
/// A real memcached process on a free loopback port, for tests. Start one with
/// <see cref="StartAsync"/>, e.g. <c>await using var server = await MemcachedServer.StartAsync("-m", "8");</c>,
/// and point a client at <see cref="Endpoint"/>. A missing binary is a failure, never a skip.
/// The process handling lives once, in the harness's <see cref="MemcachedProcess"/>; this is its test face.
/// </summary>
public sealed class MemcachedServer : IAsyncDisposable
{
    private readonly MemcachedProcess _process;

    private MemcachedServer(MemcachedProcess process) => _process = process;

    /// <summary>The loopback port the server listens on (kept across <see cref="RestartAsync"/>).</summary>
    public int Port => _process.Port;

    /// <summary><c>127.0.0.1:PORT</c>, the form MemcachedOptions.Servers takes.</summary>
    public string Endpoint => _process.Endpoint;

    /// <summary>The process id, while running.</summary>
    public int? ProcessId => _process.ProcessId;

    /// <summary>Whether the process is alive (paused counts as alive).</summary>
    public bool IsRunning => _process.IsRunning;

    /// <summary>Path of the memcached binary: $MEMCACHED_PATH, /usr/bin/memcached, or the first on PATH.</summary>
    public static string BinaryPath => MemcachedProcess.BinaryPath;

    /// <summary>Starts memcached on a free loopback port with optional extra arguments (e.g. "-m", "8", "-I", "2m").</summary>
    public static async Task<MemcachedServer> StartAsync(params string[] extraArgs) =>
        new(await MemcachedProcess.StartAsync(extraArgs));

    /// <summary>Kills the process (SIGKILL); clients see their connections reset.</summary>
    public void Kill() => _process.Kill();

    /// <summary>Freezes the process (SIGSTOP): connections stay open but nothing is answered.</summary>
    public void Pause() => _process.Pause();

    /// <summary>Thaws a paused process (SIGCONT).</summary>
    public void Resume() => _process.Resume();

    /// <summary>Kills the process if running and starts a fresh one (empty cache) on the same port.</summary>
    public Task RestartAsync() => _process.RestartAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    public override string ToString() => _process.ToString();
}
