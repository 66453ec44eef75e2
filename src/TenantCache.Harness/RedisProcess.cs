using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TenantCache.Harness;

/// <summary>
/// A local Redis server on a free 127.0.0.1 port, with no persistence (no RDB, no AOF: a restart is
/// empty, as the guarantees on Redis require). Debian ships the server binary in <c>redis-tools</c> as
/// <c>redis-check-rdb</c> (the <c>redis-server</c> package would install a system service instead):
/// Redis picks its mode from the name it is started under, so this starts it through a link named
/// <c>redis-server</c> in a private directory. Disposing kills it.
/// </summary>
public sealed partial class RedisProcess : IAsyncDisposable
{
    /// <summary>What to tell a user whose machine has no Redis.</summary>
    public const string InstallHint = "Install it with: apt-get install -y redis-tools (Debian ships the server binary there, as redis-check-rdb)";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly string[] _extraArgs;
    private readonly StringBuilder _output = new();
    private readonly string _directory;
    private Process? _process;

    private RedisProcess(int port, string[] extraArgs)
    {
        Port = port;
        _extraArgs = extraArgs;
        _directory = Directory.CreateTempSubdirectory("tenantcache-redis-").FullName;
    }

    /// <summary>The loopback port (kept across <see cref="RestartAsync"/>).</summary>
    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>, the endpoint form of a StackExchange.Redis configuration string.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Whether the process is alive (paused counts as alive).</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The server binary: $REDIS_SERVER_PATH, /usr/bin/redis-server, /usr/bin/redis-check-rdb (Debian's redis-tools), or redis-server on PATH.</summary>
    public static string BinaryPath => FindBinary() ?? throw new InvalidOperationException(
        "The Redis server binary was not found (looked at $REDIS_SERVER_PATH, /usr/bin/redis-server, /usr/bin/redis-check-rdb and PATH). " + InstallHint);

    /// <summary>Whether a server binary is found (see <see cref="BinaryPath"/>).</summary>
    public static bool IsInstalled => FindBinary() is not null;

    /// <summary>Starts a server on a free loopback port with optional extra arguments (e.g. "--maxmemory", "8mb").</summary>
    public static Task<RedisProcess> StartAsync(params string[] extraArgs) => StartAsync(null, extraArgs);

    private static Task<RedisProcess> StartAsync(RedisTlsFiles? tls, string[] extraArgs)
    {
        _ = BinaryPath;
        return LocalProcesses.StartOnFreePortAsync(port => new RedisProcess(port, extraArgs) { Tls = tls }, s => s.LaunchAsync(), s => s.Kill(), "Redis");
    }

    /// <summary>Kills the process (SIGKILL).</summary>
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

    /// <summary>Freezes the process (SIGSTOP).</summary>
    public void Pause() => Signal("STOP");

    /// <summary>Thaws a paused process (SIGCONT).</summary>
    public void Resume() => Signal("CONT");

    /// <summary>Kills the process and starts an empty one on the same port.</summary>
    public Task RestartAsync() => LocalProcesses.RelaunchAsync(LaunchAsync, Kill, StartTimeout);

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the system's temp cleaning.
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override string ToString() => $"redis {Endpoint} {string.Join(' ', _extraArgs)}";

    private async Task LaunchAsync()
    {
        var link = Path.Combine(_directory, "redis-server");
        if (!File.Exists(link))
        {
            File.CreateSymbolicLink(link, BinaryPath);
        }

        var info = new ProcessStartInfo(link) { WorkingDirectory = _directory };
        string[] fixedArgs = ["--bind", "127.0.0.1", .. PortArguments(), "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", _directory];
        foreach (var arg in fixedArgs.Concat(_extraArgs))
        {
            info.ArgumentList.Add(arg);
        }

        var process = LocalProcesses.Start(info, _output, "Redis");
        _process = process;
        await LocalProcesses.WaitUntilReadyAsync(process, _output, "Redis", Port, () => Tls is null ? AnswersPingAsync(Port) : AnswersTlsAsync(Port), StartTimeout).ConfigureAwait(false);
    }

    private void Signal(string signal) =>
        LocalProcesses.Signal(_process is { HasExited: false } process ? process.Id : throw new InvalidOperationException("Redis is not running."), signal);

    private static async Task<bool> AnswersPingAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token).ConfigureAwait(false);
            await socket.SendAsync("PING\r\n"u8.ToArray(), SocketFlags.None, timeout.Token).ConfigureAwait(false);
            var reply = new byte[7];
            var read = await socket.ReceiveAsync(reply, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            return read > 0 && reply[0] is (byte)'+' or (byte)'-'; // -NOAUTH: serving, with ACLs
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static string? FindBinary() =>
        LocalProcesses.FindBinary("REDIS_SERVER_PATH", ["/usr/bin/redis-server", "/usr/bin/redis-check-rdb"], "redis-server");
}
