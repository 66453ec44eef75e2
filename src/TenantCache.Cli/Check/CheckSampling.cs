using System.Globalization;
using System.Net.Sockets;
using System.Text;
using TenantCache.Harness;
using TenantCache.Memcached;

namespace TenantCache.Cli.Check;

/// <summary>The lines of <c>--report-every</c>: memory, sockets and memcached connections while a check runs.</summary>
internal static class CheckSampling
{
    /// <summary>One line of <c>--report-every</c>: the process's memory and sockets, and each memcached node's connections.</summary>
    internal static async Task<string> SampleLineAsync(double seconds, long ops, CheckCluster? cluster)
    {
        var inv = CultureInfo.InvariantCulture;
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var gc = GC.GetGCMemoryInfo();
        var line = new StringBuilder();
        line.Append(inv, $"sample t={seconds:F0}s ops={ops} working_set={process.WorkingSet64 / 1048576.0:F1}MB gc_heap={GC.GetTotalMemory(false) / 1048576.0:F1}MB")
            .Append(inv, $" gc_committed={gc.TotalCommittedBytes / 1048576.0:F1}MB gen2_collections={GC.CollectionCount(2)} threads={process.Threads.Count} sockets={OpenSockets()}");
        if (cluster is not null)
        {
            foreach (var server in cluster.DirectServers.Split(','))
            {
                line.Append(inv, $" curr_connections[{server}]={await CurrentConnectionsAsync(server)}");
            }
        }

        return line.ToString();
    }

    /// <summary>Sockets among this process's file descriptors (Linux); -1 when /proc is not there.</summary>
    internal static int OpenSockets()
    {
        try
        {
            var count = 0;
            foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
            {
                try
                {
                    if (new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true)
                    {
                        count++;
                    }
                }
                catch (IOException)
                {
                    // closed meanwhile
                }
            }

            return count;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return -1;
        }
    }

    /// <summary>memcached's <c>curr_connections</c> (this probe's own connection included); -1 when unreachable.</summary>
    private static async Task<long> CurrentConnectionsAsync(string server)
    {
        try
        {
            return ServerStats.Number(await ServerStats.ReadAsync(ServerEndpoint.Parse(server)), "curr_connections");
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or FormatException)
        {
            return -1;
        }
    }
}
