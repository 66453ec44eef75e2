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

    /// <summary>Sends <paramref name="signal"/> (STOP, CONT) to process <paramref name="pid"/> with <c>kill</c>; a failure is an exception.</summary>
    public static void Signal(int pid, string signal)
    {
        var info = new ProcessStartInfo("kill") { UseShellExecute = false };
        info.ArgumentList.Add("-" + signal);
        info.ArgumentList.Add(pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var kill = Process.Start(info) ?? throw new InvalidOperationException("Could not run kill.");
        kill.WaitForExit(10_000);
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed with exit code {kill.ExitCode}.");
        }
    }

    /// <summary>
    /// Kills and launches again (same port) until the launch succeeds or <paramref name="timeout"/> has passed:
    /// the port may be held a moment longer by the killed process.
    /// </summary>
    public static async Task RelaunchAsync(Func<Task> launch, Action kill, TimeSpan timeout)
    {
        kill();
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await launch().ConfigureAwait(false);
                return;
            }
            catch (InvalidOperationException) when (DateTime.UtcNow < until)
            {
                kill();
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
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
