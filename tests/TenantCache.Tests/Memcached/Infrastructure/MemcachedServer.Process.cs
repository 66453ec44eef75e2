using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TenantCache.Tests.Memcached.Infrastructure;

/// <summary>The process side: launching memcached, signals, free ports, finding the binary.</summary>
public sealed partial class MemcachedServer
{
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
