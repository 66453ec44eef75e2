using System.Diagnostics;
using System.Net.Sockets;

namespace TenantCache.Benchmarks.Bench.Rtt;

/// <summary>
/// Times memcached's no-op (<c>mn</c> → <c>MN</c>) round trips over plain sockets, without any client
/// code, directly and through the relay, alternating one of each so both see the same moments of a
/// noisy machine.
/// </summary>
internal static class RttProbe
{
    /// <summary>The medians (µs) of <paramref name="count"/> round trips to each port, taken in turns.</summary>
    public static async Task<(double Direct, double Relayed)> MedianMicrosecondsAsync(string host, int directPort, int relayPort, int count, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var direct = await ConnectAsync(host, directPort, timeout.Token);
        using var relayed = await ConnectAsync("127.0.0.1", relayPort, timeout.Token);
        var samples = (Direct: new double[count], Relayed: new double[count]);
        for (var i = -10; i < count; i++)
        {
            var d = await RoundTripAsync(direct, timeout.Token);
            var r = await RoundTripAsync(relayed, timeout.Token);
            if (i >= 0)
            {
                samples.Direct[i] = d;
                samples.Relayed[i] = r;
            }
        }

        return (LoadRunner.Median(samples.Direct), LoadRunner.Median(samples.Relayed));
    }

    private static async Task<Socket> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<double> RoundTripAsync(Socket socket, CancellationToken cancellationToken)
    {
        var reply = new byte[64];
        var t0 = Stopwatch.GetTimestamp();
        await socket.SendAsync("mn\r\n"u8.ToArray(), SocketFlags.None, cancellationToken);
        var got = 0;
        while (got < 4)
        {
            var read = await socket.ReceiveAsync(reply.AsMemory(got), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                throw new IOException($"{socket.RemoteEndPoint} closed the connection during the round-trip probe.");
            }

            got += read;
        }

        return Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
    }
}
