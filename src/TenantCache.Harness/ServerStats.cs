using System.Globalization;
using System.Net.Sockets;
using System.Text;
using TenantCache.Memcached;

namespace TenantCache.Harness;

/// <summary>
/// Reads memcached's general <c>stats</c> over a short-lived text-protocol connection (the client has
/// no general stats call): the one stats reader of the bench, the soak and the checker's samples.
/// </summary>
public static class ServerStats
{
    /// <summary>Every <c>STAT name value</c> line of <paramref name="server"/>'s <c>stats</c>, within 5 seconds.</summary>
    /// <param name="server">The server to ask.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The statistics by name.</returns>
    public static async Task<IReadOnlyDictionary<string, string>> ReadAsync(ServerEndpoint server, CancellationToken cancellationToken = default)
    {
        using var tcp = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        await tcp.ConnectAsync(server.Host, server.Port, timeout.Token).ConfigureAwait(false);
        var stream = tcp.GetStream();
        await stream.WriteAsync("stats\r\n"u8.ToArray(), timeout.Token).ConfigureAwait(false);
        var text = new StringBuilder();
        var buffer = new byte[8192];
        while (!text.ToString().EndsWith("END\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
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

    /// <summary>The statistic <paramref name="name"/> as a number; -1 when absent.</summary>
    /// <param name="stats">Statistics from <see cref="ReadAsync"/>.</param>
    /// <param name="name">A statistic such as <c>curr_connections</c>.</param>
    /// <returns>The value, or -1.</returns>
    public static long Number(IReadOnlyDictionary<string, string> stats, string name) =>
        stats.TryGetValue(name, out var value) ? long.Parse(value, CultureInfo.InvariantCulture) : -1;
}
