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
    private static readonly List<RedisProcess> Running = [];

    private readonly string[] _extraArgs;
    private readonly StringBuilder _output = new();
    private readonly string _directory;
    private Process? _process;

    static RedisProcess()
    {
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

    /// <summary>Starts a server on a free loopback port with optional extra arguments (e.g. "--maxmemory", "8mb").</summary>
    public static async Task<RedisProcess> StartAsync(params string[] extraArgs)
    {
        _ = BinaryPath;
        Exception? last = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var server = new RedisProcess(LocalProcesses.FreePort(), extraArgs);
            try
            {
                await server.LaunchAsync().ConfigureAwait(false);
                return server;
            }
            catch (InvalidOperationException e)
            {
                last = e; // most likely the port was taken between picking and binding
                server.Kill();
            }
        }

        throw new InvalidOperationException("Could not start Redis after 5 attempts.", last);
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
        lock (Running)
        {
            Running.Remove(this);
        }
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

        var info = new ProcessStartInfo(link)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        string[] fixedArgs = ["--bind", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", _directory];
        foreach (var arg in fixedArgs.Concat(_extraArgs))
        {
            info.ArgumentList.Add(arg);
        }

        lock (_output)
        {
            _output.Clear();
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Process.Start returned null for Redis.");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
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
                string output;
                lock (_output)
                {
                    output = _output.ToString();
                }

                throw new InvalidOperationException($"Redis exited with code {process.ExitCode} on port {Port}: {output}");
            }

            if (await AnswersPingAsync(Port).ConfigureAwait(false))
            {
                return;
            }

            await Task.Delay(20).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"Redis did not answer on port {Port} within {StartTimeout}.");
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
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
            return read > 0 && reply[0] == (byte)'+';
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static string? FindBinary() =>
        LocalProcesses.FindBinary("REDIS_SERVER_PATH", ["/usr/bin/redis-server", "/usr/bin/redis-check-rdb"], "redis-server");
}
