using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TenantCache.Harness;

/// <summary>What the local server launchers (memcached, Redis) share: a free loopback port, finding a binary, killing a process.</summary>
internal static class LocalProcesses
{
    /// <summary>A loopback port free right now (the caller retries if it is taken before it binds).</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The binary named by <paramref name="variable"/> if it exists, else the first of <paramref name="candidates"/> that exists, else <paramref name="name"/> on PATH; null if none.</summary>
    public static string? FindBinary(string variable, IEnumerable<string> candidates, string name)
    {
        var configured = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(configured) && File.Exists(configured))
        {
            return configured;
        }

        foreach (var candidate in candidates.Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(dir => Path.Combine(dir, name))))
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Kills <paramref name="process"/> if it still runs, waits for it (10 s at most) and disposes it.</summary>
    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        process.Dispose();
    }
}
