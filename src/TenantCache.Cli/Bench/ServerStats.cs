using System.Globalization;
using System.Net.Sockets;
using System.Text;
using TenantCache.Memcached;

namespace TenantCache.Cli.Bench;

/// <summary>Reads memcached's general <c>stats</c> over a short-lived text-protocol connection.</summary>
internal static class ServerStats
{
    public static async Task<IReadOnlyDictionary<string, string>> ReadAsync(ServerEndpoint server, CancellationToken cancellationToken = default)
    {
        using var tcp = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        await tcp.ConnectAsync(server.Host, server.Port, timeout.Token);
        var stream = tcp.GetStream();
        await stream.WriteAsync("stats\r\n"u8.ToArray(), timeout.Token);
        var text = new StringBuilder();
        var buffer = new byte[8192];
        while (!text.ToString().EndsWith("END\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                break;
            }

            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        var stats = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', 3);
            if (parts.Length == 3 && parts[0] == "STAT")
            {
                stats[parts[1]] = parts[2];
            }
        }

        return stats;
    }

    public static long Number(IReadOnlyDictionary<string, string> stats, string name) =>
        stats.TryGetValue(name, out var value) ? long.Parse(value, CultureInfo.InvariantCulture) : -1;
}
