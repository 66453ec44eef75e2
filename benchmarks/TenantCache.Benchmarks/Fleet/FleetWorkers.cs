using System.Diagnostics;
using System.Text.Json;

namespace TenantCache.Benchmarks.Fleet;

/// <summary>
/// The worker processes of one fleet run. Disposing kills every one still running (and its
/// children); so does the end of this process (<see cref="AppDomain.ProcessExit"/>), so a Ctrl-C,
/// an exception or a SIGTERM never leaves a worker behind. The workers also end by themselves when
/// their standard input closes.
/// </summary>
internal sealed class FleetWorkers : IAsyncDisposable
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
        WaitAllAsync(_workers.Select(w => w.Ready.Task), "get ready", timeout, cancellationToken);

    /// <summary>Tells every worker to start its measured run.</summary>
    public async Task GoAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.Process.StandardInput.WriteLineAsync("go");
            await worker.Process.StandardInput.FlushAsync();
        }
    }

    /// <summary>Every worker's result, in worker order.</summary>
    public async Task<WorkerCounts[]> WaitResultsAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await WaitAllAsync(_workers.Select(w => w.Result.Task), "report a result", timeout, cancellationToken);
        return [.. _workers.Select(w => w.Result.Task.Result)];
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

    /// <summary>One worker process and what its standard output said so far.</summary>
    private sealed class Worker
    {
        private readonly Queue<string> _stderr = new();

        public Worker(int index, Process process)
        {
            Index = index;
            Process = process;
            process.ErrorDataReceived += (_, e) =>
            {
                lock (_stderr)
                {
                    if (e.Data is { Length: > 0 } line)
                    {
                        _stderr.Enqueue(line);
                        while (_stderr.Count > 5)
                        {
                            _stderr.Dequeue();
                        }
                    }
                }
            };
            process.BeginErrorReadLine();
            Reading = ReadAsync();
        }

        public int Index { get; }

        public Process Process { get; }

        public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<WorkerCounts> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reading { get; }

        private async Task ReadAsync()
        {
            try
            {
                while (await Process.StandardOutput.ReadLineAsync() is { } line)
                {
                    if (line == "ready")
                    {
                        Ready.TrySetResult();
                    }
                    else if (line.StartsWith("result ", StringComparison.Ordinal))
                    {
                        Result.TrySetResult(JsonSerializer.Deserialize<WorkerCounts>(line["result ".Length..], FleetJson.Options)!);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or JsonException)
            {
            }

            var exited = Process.WaitForExit(2_000);
            string tail;
            lock (_stderr)
            {
                tail = string.Join(" | ", _stderr);
            }

            var exit = exited ? $"exit code {Process.ExitCode}" : "still running";
            var failure = new InvalidOperationException($"fleet worker {Index} (pid {Process.Id}) ended its output early ({exit}){(tail.Length > 0 ? ": " + tail : "")}");
            Ready.TrySetException(failure);
            Result.TrySetException(failure);
        }
    }
}
