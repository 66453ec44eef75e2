using System.Diagnostics;
using System.Net.Sockets;

namespace TenantCache.Benchmarks.Bench.Rtt;

/// <summary>
/// Times memcached's no-op (<c>mn</c> → <c>MN</c>) round trips over one plain socket: the round trip
/// a contender sees, without any client code, directly and through the relay.
/// </summary>
internal static class RttProbe
{
    /// <summary>The median of <paramref name="count"/> sequential <c>mn</c> round trips to <paramref name="host"/>:<paramref name="port"/>, in µs.</summary>
    public static async Task<double> MedianMicrosecondsAsync(string host, int port, int count, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(host, port, timeout.Token);
        var request = "mn\r\n"u8.ToArray();
        var reply = new byte[64];
        var samples = new double[count];
        for (var i = -10; i < count; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            await socket.SendAsync(request, SocketFlags.None, timeout.Token);
            var got = 0;
            while (got < 4)
            {
                var read = await socket.ReceiveAsync(reply.AsMemory(got), SocketFlags.None, timeout.Token);
                if (read == 0)
                {
                    throw new IOException($"{host}:{port} closed the connection during the round-trip probe.");
                }

                got += read;
            }

            if (i >= 0)
            {
                samples[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
            }
        }

        return LoadRunner.Median(samples);
    }
}
