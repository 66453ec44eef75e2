using System.Diagnostics;
using System.Globalization;

namespace TenantCache.Cli.Check;

/// <summary>
/// Per simulated process: its reads that reached the store without an error, how many of them read no
/// version key (their tokens were reused), and its successful invalidations and the time they took
/// (with a window, an invalidation waits out the replaced token's promise before it returns).
/// Thread-safe; kept with or without a history.
/// </summary>
internal sealed class ProcessTally
{
    private readonly long[] _reads;
    private readonly long[] _tokenFree;
    private readonly long[] _invalidations;
    private readonly long[] _invalidationTicks;

    public ProcessTally(IReadOnlyList<CheckProcess> processes, IReadOnlyList<TimeSpan> windows)
    {
        ArgumentNullException.ThrowIfNull(processes);
        ArgumentNullException.ThrowIfNull(windows);
        Processes = processes;
        Windows = windows;
        _reads = new long[processes.Count];
        _tokenFree = new long[processes.Count];
        _invalidations = new long[processes.Count];
        _invalidationTicks = new long[processes.Count];
    }

    public IReadOnlyList<CheckProcess> Processes { get; }

    /// <summary>The window each process's engine uses (zero for legacy processes).</summary>
    public IReadOnlyList<TimeSpan> Windows { get; }

    /// <summary>Reads (of every process) that reached the store without an error.</summary>
    public long Reads => _reads.Sum();

    /// <summary>Those of them that read no version key.</summary>
    public long TokenFreeReads => _tokenFree.Sum();

    /// <summary>Reads by processes with a window above zero.</summary>
    public long WindowReads => Enumerable.Range(0, _reads.Length).Where(p => Windows[p] > TimeSpan.Zero).Sum(p => Interlocked.Read(ref _reads[p]));

    /// <summary>Those of them that read no version key: the window at work.</summary>
    public long ReusedReads => Enumerable.Range(0, _reads.Length).Where(p => Windows[p] > TimeSpan.Zero).Sum(p => Interlocked.Read(ref _tokenFree[p]));

    /// <summary>
    /// The share of reads that read no version key, among the reads of processes whose window is at
    /// least <paramref name="minimum"/>; <see langword="null"/> when they made fewer than <paramref name="reads"/>.
    /// </summary>
    public double? ReuseShare(TimeSpan minimum, long reads)
    {
        long total = 0, free = 0;
        for (var p = 0; p < _reads.Length; p++)
        {
            if (Windows[p] >= minimum)
            {
                total += ReadsOf(p);
                free += TokenFreeReadsOf(p);
            }
        }

        return total < reads ? null : (double)free / total;
    }

    public long ReadsOf(int process) => Interlocked.Read(ref _reads[process]);

    public long TokenFreeReadsOf(int process) => Interlocked.Read(ref _tokenFree[process]);

    public long InvalidationsOf(int process) => Interlocked.Read(ref _invalidations[process]);

    /// <summary>The mean duration of the process's successful invalidations.</summary>
    public TimeSpan MeanInvalidationOf(int process)
    {
        var n = InvalidationsOf(process);
        return n == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(Interlocked.Read(ref _invalidationTicks[process]) / (double)n / Stopwatch.Frequency);
    }

    /// <summary>Counts one finished operation.</summary>
    public void Record(Operation op)
    {
        ArgumentNullException.ThrowIfNull(op);
        if (op.Status != OpStatus.Ok || op.Process < 0 || op.Process >= _reads.Length)
        {
            return;
        }

        if (op.IsRead && op.StoreErrors == 0 && op.DataKeysRead > 0)
        {
            Interlocked.Increment(ref _reads[op.Process]);
            if (Volatile.Read(ref op.VersionKeysRead) == 0)
            {
                Interlocked.Increment(ref _tokenFree[op.Process]);
            }
        }
        else if (op.Kind is OpKind.InvalidateScope or OpKind.InvalidateTag)
        {
            Interlocked.Increment(ref _invalidations[op.Process]);
            Interlocked.Add(ref _invalidationTicks[op.Process], op.End - op.Start);
        }
    }

    /// <summary>One line per process, for the report.</summary>
    public IEnumerable<string> Lines(Func<CheckProcess, string> label)
    {
        ArgumentNullException.ThrowIfNull(label);
        var inv = CultureInfo.InvariantCulture;
        for (var p = 0; p < Processes.Count; p++)
        {
            var reads = ReadsOf(p);
            var free = TokenFreeReadsOf(p);
            var line = string.Create(inv, $"{label(Processes[p])}: ");
            line += Processes[p].ReadsAndWrites
                ? string.Create(inv, $"{free} of {reads} reads ({(reads == 0 ? 0 : 100.0 * free / reads):F1}%) read no version key")
                : "no reads";
            line += Processes[p].Invalidates
                ? string.Create(inv, $", {InvalidationsOf(p)} invalidations (mean {MeanInvalidationOf(p).TotalMilliseconds:F0} ms)")
                : ", no invalidations";
            yield return line;
        }
    }
}
