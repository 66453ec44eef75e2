using System.Diagnostics;

namespace TenantCache.Benchmarks.Bench;

/// <summary>A one-line progress display on standard error (rewritten in place on a terminal).</summary>
internal sealed class BenchProgress(TextWriter error, int total)
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly bool _interactive = !Console.IsErrorRedirected && ReferenceEquals(error, Console.Error);
    private int _step;
    private string _lastBlock = "";

    public void Step(string label)
    {
        _step++;
        var elapsed = Stopwatch.GetElapsedTime(_start);
        var line = $"[{_step,3}/{total}] {elapsed:mm\\:ss} {label}";
        if (_interactive)
        {
            error.Write("\r" + line.PadRight(Math.Max(20, Console.WindowWidth - 1))[..Math.Max(20, Console.WindowWidth - 1)]);
            return;
        }

        // Redirected: one line per scenario block, not one per run.
        var block = label.Split(" round ")[0];
        if (block != _lastBlock)
        {
            _lastBlock = block;
            error.WriteLine(line);
        }
    }

    public void Done()
    {
        if (_interactive)
        {
            error.WriteLine();
        }

        error.WriteLine($"Measured in {Stopwatch.GetElapsedTime(_start):mm\\:ss}.");
    }
}
