using System.Diagnostics;
using System.Threading.Channels;

namespace TenantCache.Benchmarks.Fleet;

// One worker: its process, its standard output as a queue of lines, the last lines of its standard error.
internal sealed partial class FleetWorkers
{
    /// <summary>One worker process and what its standard output said so far.</summary>
    private sealed class Worker
    {
        private readonly Queue<string> _stderr = new();
        private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

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

        public Task Reading { get; }

        /// <summary>The rest of the next line that starts with <paramref name="prefix"/>; other lines are skipped.</summary>
        public async Task<string> ReadLineAsync(string prefix)
        {
            while (true)
            {
                string line;
                try
                {
                    line = await _lines.Reader.ReadAsync();
                }
                catch (ChannelClosedException ex) when (ex.InnerException is { } failure)
                {
                    throw failure;
                }

                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return line[prefix.Length..];
                }
            }
        }

        private async Task ReadAsync()
        {
            try
            {
                while (await Process.StandardOutput.ReadLineAsync() is { } line)
                {
                    _lines.Writer.TryWrite(line);
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
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
            _lines.Writer.TryComplete(failure);
        }
    }
}
