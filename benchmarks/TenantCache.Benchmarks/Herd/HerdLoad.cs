using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace TenantCache.Benchmarks.Herd;

/// <summary>
/// The herd in one process: <c>callers</c> loops reading uniformly random hot keys through the
/// contender's get-or-create, each read's start, end and the generation of the value it got kept as a
/// <see cref="HerdSample"/>. The factory notes each run (key, start), sleeps <c>factoryMs</c> and returns
/// <c>k{key}|g{round}|p{process}</c>: the value of the round it was computed in, so a read tells a fresh
/// value (this round's) from the previous one.
/// </summary>
internal sealed class HerdLoad
{
    private readonly HerdContender _contender;
    private readonly int _keys;
    private readonly int _callers;
    private readonly int _process;
    private readonly Func<CancellationToken, ValueTask<string>>[] _factories;
    private ConcurrentQueue<FactoryRun> _runs = new();
    private volatile int _round;
    private long _deadline;
    private Task<CallerRecord[]>? _running;

    public HerdLoad(HerdContender contender, int keys, int callers, int factoryMs, int process)
    {
        _contender = contender;
        _keys = keys;
        _callers = callers;
        _process = process;
        _factories = [.. Enumerable.Range(0, keys).Select(key => (Func<CancellationToken, ValueTask<string>>)(ct => FactoryAsync(key, factoryMs, ct)))];
    }

    /// <summary>The round whose values the factory computes now (0: the warm-up).</summary>
    public int Round => _round;

    /// <summary>The value the factory computes for <paramref name="key"/> in <paramref name="round"/> on <paramref name="process"/>.</summary>
    public static string Value(int key, int round, int process) => string.Create(CultureInfo.InvariantCulture, $"k{key}|g{round}|p{process}");

    /// <summary>The round a value was computed in; -1 when it is not one of <see cref="Value"/>'s.</summary>
    public static int Generation(string value)
    {
        var start = value.IndexOf("|g", StringComparison.Ordinal) + 2;
        var end = start < 2 ? -1 : value.IndexOf('|', start);
        return end > start && int.TryParse(value.AsSpan(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture, out var round) ? round : -1;
    }

    /// <summary>Starts the callers for <paramref name="round"/>; they read until <see cref="StopAt"/>'s deadline.</summary>
    public void Start(int round)
    {
        _runs = new ConcurrentQueue<FactoryRun>();
        _round = round;
        Volatile.Write(ref _deadline, long.MaxValue);
        _running = Task.WhenAll(Enumerable.Range(0, _callers).Select(i => Task.Run(() => CallerAsync(new Random((round * 1_000_003) + (_process * 1009) + i)))));
    }

    /// <summary>Stops the callers at the timestamp <paramref name="deadline"/>; their reads and the round's factory runs.</summary>
    public async Task<(CallerRecord[] Callers, FactoryRun[] FactoryRuns)> StopAt(long deadline)
    {
        Volatile.Write(ref _deadline, deadline);
        var callers = await (_running ?? throw new InvalidOperationException("No round was started."));
        _running = null;
        return (callers, [.. _runs]);
    }

    private async ValueTask<string> FactoryAsync(int key, int factoryMs, CancellationToken cancellationToken)
    {
        var round = _round;
        _runs.Enqueue(new FactoryRun(key, Stopwatch.GetTimestamp()));
        if (factoryMs > 0)
        {
            await Task.Delay(factoryMs, cancellationToken);
        }

        return Value(key, round, _process);
    }

    private async Task<CallerRecord> CallerAsync(Random random)
    {
        var record = new CallerRecord();
        while (Stopwatch.GetTimestamp() < Volatile.Read(ref _deadline))
        {
            var key = random.Next(_keys);
            var start = Stopwatch.GetTimestamp();
            try
            {
                var value = await _contender.GetOrCreateAsync(key, _factories[key]);
                record.Samples.Add(new HerdSample(start, Stopwatch.GetTimestamp(), key, Generation(value)));
            }
            catch (Exception ex)
            {
                // Counted and shown, never fatal: a contender that fails under the herd is part of the result.
                record.Errors++;
                record.FirstError ??= $"{ex.GetType().Name}: {ex.Message}";
            }
        }

        return record;
    }
}

/// <summary>One read: Stopwatch timestamps (one clock for every process of the machine), the key, the value's round.</summary>
internal readonly record struct HerdSample(long Start, long End, int Key, int Generation);

/// <summary>One run of the factory: the key and when it started.</summary>
internal readonly record struct FactoryRun(int Key, long At);

/// <summary>One caller's reads in one round.</summary>
internal sealed class CallerRecord
{
    public List<HerdSample> Samples { get; } = new(1024);

    public long Errors { get; set; }

    public string? FirstError { get; set; }
}
