using System.Diagnostics;
using System.Text.Json;

namespace TenantCache.Benchmarks.Fleet;

/// <summary>
/// The worker processes of one fleet or herd run, spoken to in lines: one to every standard input,
/// the next line with a given prefix from every standard output. Disposing kills every one still running (and its
/// children); so does the end of this process (<see cref="AppDomain.ProcessExit"/>), so a Ctrl-C,
/// an exception or a SIGTERM never leaves a worker behind. The workers also end by themselves when
/// their standard input closes.
/// </summary>
internal sealed partial class FleetWorkers : IAsyncDisposable
{
    private static readonly List<Process> Live = [];
    private readonly List<Worker> _workers = [];

    static FleetWorkers() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();

    /// <summary>Starts <paramref name="count"/> workers, worker i with the arguments <paramref name="arguments"/>(i).</summary>
    public static FleetWorkers Start(int count, Func<int, IEnumerable<string>> arguments)
    {
        var workers = new FleetWorkers();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var process = Process.Start(SelfLauncher.StartInfo(arguments(i))) ?? throw new InvalidOperationException("Process.Start returned null for a fleet worker.");
                lock (Live)
                {
                    Live.Add(process);
                }

                workers._workers.Add(new Worker(i, process));
            }
        }
        catch
        {
            Kill(workers._workers.Select(w => w.Process));
            throw;
        }

        return workers;
    }

    /// <summary>Waits until every worker printed <c>ready</c>; throws naming the first that failed.</summary>
    public Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitLinesAsync("ready", "get ready", timeout, cancellationToken);

    /// <summary>Tells every worker to start its measured run.</summary>
    public Task GoAsync() => SendAsync("go");

    /// <summary>Every worker's result, in worker order.</summary>
    public async Task<WorkerCounts[]> WaitResultsAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var lines = await WaitLinesAsync("result ", "report a result", timeout, cancellationToken);
        return [.. lines.Select(l => JsonSerializer.Deserialize<WorkerCounts>(l, FleetJson.Options)!)];
    }

    /// <summary>Writes one line to every worker's standard input, in worker order.</summary>
    public async Task SendAsync(string line)
    {
        foreach (var worker in _workers)
        {
            await worker.Process.StandardInput.WriteLineAsync(line);
            await worker.Process.StandardInput.FlushAsync();
        }
    }

    /// <summary>
    /// The next line starting with <paramref name="prefix"/> from every worker (the rest of it, in worker
    /// order), skipping other lines; throws naming the first worker that ended, or on the timeout.
    /// </summary>
    public async Task<string[]> WaitLinesAsync(string prefix, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reads = _workers.Select(w => w.ReadLineAsync(prefix)).ToArray();
        await WaitAllAsync(reads, what, timeout, cancellationToken);
        return [.. reads.Select(r => r.Result)];
    }

    public async ValueTask DisposeAsync()
    {
        Kill(_workers.Select(w => w.Process));
        foreach (var worker in _workers)
        {
            await worker.Reading;
            worker.Process.Dispose();
        }
    }

    private static async Task WaitAllAsync(IEnumerable<Task> tasks, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var all = Task.WhenAll(tasks);
        var finished = await Task.WhenAny(all, Task.Delay(timeout, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
        if (finished != all)
        {
            throw new TimeoutException($"Not every fleet worker managed to {what} within {timeout.TotalSeconds:F0} s.");
        }

        await all;
    }

    private static void KillAll()
    {
        Process[] live;
        lock (Live)
        {
            live = [.. Live];
        }

        Kill(live);
    }

    private static void Kill(IEnumerable<Process> processes)
    {
        foreach (var process in processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(5_000);
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }

            lock (Live)
            {
                Live.Remove(process);
            }
        }
    }
}
