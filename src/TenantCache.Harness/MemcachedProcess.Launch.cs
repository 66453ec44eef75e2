using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TenantCache.Harness;

// Starting the binary and waiting until it answers.
public sealed partial class MemcachedProcess
{
    private async Task LaunchAsync()
    {
        var info = new ProcessStartInfo(BinaryPath);
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

        var process = LocalProcesses.Start(info, _output, "memcached");
        _process = process;
        await LocalProcesses.WaitUntilReadyAsync(process, _output, "memcached", Port, () => AcceptsAsync(Port, UsesTls), StartTimeout).ConfigureAwait(false);
    }

    private bool UsesTls => _extraArgs.Contains("-Z") || _extraArgs.Contains("--enable-ssl");

    /// <summary>
    /// Whether memcached answers on the port: <c>MN</c>, or <c>CLIENT_ERROR unauthenticated</c> with
    /// <c>-Y</c>; with TLS (<c>-Z</c>) an accepted connection is enough (it listens once it is ready).
    /// </summary>
    private static async Task<bool> AcceptsAsync(int port, bool tls)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token).ConfigureAwait(false);
            if (tls)
            {
                return true;
            }

            await socket.SendAsync("mn\r\n"u8.ToArray(), SocketFlags.None, timeout.Token).ConfigureAwait(false);
            var reply = new byte[4];
            var read = await socket.ReceiveAsync(reply, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            return read > 0 && reply[0] is (byte)'M' or (byte)'C';
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static string? FindBinary() =>
        LocalProcesses.FindBinary("MEMCACHED_PATH", ["/usr/bin/memcached"], "memcached");
}
