using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TenantCache.Harness;

/// <summary>
/// What the local server launchers (memcached, Redis) share: a free loopback port, finding a binary,
/// starting on a free port with retries, starting a process with its output kept, waiting until it
/// answers, killing it — and killing every process still running when this process exits.
/// </summary>
internal static class LocalProcesses
{
    private static readonly HashSet<Process> Running = [];

    static LocalProcesses()
    {
        // A process that exits without disposing its servers must not leave them behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            Process[] running;
            lock (Running)
            {
                running = [.. Running];
            }

            foreach (var process in running)
            {
                Kill(process);
            }
        };
    }

    /// <summary>
    /// Creates a server on a free port and launches it, up to 5 times: a launch that fails (most likely
    /// because the port was taken between picking and binding) is killed and another port is tried.
    /// </summary>
    public static async Task<T> StartOnFreePortAsync<T>(Func<int, T> create, Func<T, Task> launch, Action<T> kill, string name)
    {
        Exception? last = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var server = create(FreePort());
            try
            {
                await launch(server).ConfigureAwait(false);
                return server;
            }
            catch (InvalidOperationException e)
            {
                last = e;
                kill(server);
            }
        }

        throw new InvalidOperationException($"Could not start {name} after 5 attempts.", last);
    }

    /// <summary>Starts <paramref name="info"/> with both output streams appended to <paramref name="output"/> (cleared first); killed at exit if still running.</summary>
    public static Process Start(ProcessStartInfo info, StringBuilder output, string name)
    {
        info.RedirectStandardError = true;
        info.RedirectStandardOutput = true;
        info.UseShellExecute = false;
        lock (output)
        {
            output.Clear();
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Process.Start returned null for {name}.");
        DataReceivedEventHandler append = (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        process.OutputDataReceived += append;
        process.ErrorDataReceived += append;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (Running)
        {
            Running.Add(process);
        }

        return process;
    }

    /// <summary>
    /// Waits until <paramref name="ready"/> says the server answers on <paramref name="port"/>; throws
    /// <see cref="InvalidOperationException"/> with its output if it exits first, or after <paramref name="timeout"/>.
    /// </summary>
    public static async Task WaitUntilReadyAsync(Process process, StringBuilder output, string name, int port, Func<Task<bool>> ready, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (process.HasExited)
            {
                string text;
                lock (output)
                {
                    text = output.ToString();
                }

                throw new InvalidOperationException($"{name} exited with code {process.ExitCode} on port {port}: {text}");
            }

            if (await ready().ConfigureAwait(false))
            {
                return;
            }

            await Task.Delay(20).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"{name} did not answer on port {port} within {timeout}.");
    }

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
        lock (Running)
        {
            Running.Remove(process);
        }

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
