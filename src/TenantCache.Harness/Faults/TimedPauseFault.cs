using System.Diagnostics;

namespace TenantCache.Harness.Faults;

/// <summary>
/// <c>pause</c> in two lengths: each pause (SIGSTOP, then SIGCONT) is drawn, half and half, either short —
/// <see cref="ShortPause"/>, below the client's operation timeout, so that calls are only slow; the node is
/// continued by a timer during the fault's hold — or long — at least <see cref="LongPause"/>, past the
/// timeout, so that calls time out and commands the client gave up on may run when it continues.
/// </summary>
public sealed class TimedPauseFault(NodePicker nodes, TimeSpan shortPause, TimeSpan longPause, int seed) : IFault
{
    private readonly Random _random = new(seed);
    private Paused? _paused;
    private int _shortPauses;
    private int _longPauses;

    /// <inheritdoc/>
    public string Name => "pause";

    /// <summary>How long a short pause lasts.</summary>
    public TimeSpan ShortPause { get; } = shortPause;

    /// <summary>The shortest time a long pause lasts.</summary>
    public TimeSpan LongPause { get; } = longPause;

    /// <summary>Short pauses so far.</summary>
    public int ShortPauses => Volatile.Read(ref _shortPauses);

    /// <summary>Long pauses so far.</summary>
    public int LongPauses => Volatile.Read(ref _longPauses);

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        bool isShort;
        lock (_random)
        {
            isShort = _random.Next(2) == 0;
        }

        var node = nodes.Next();
        node.Pause();
        var paused = new Paused(node, Stopwatch.GetTimestamp(), isShort ? ShortPause : LongPause);
        _paused = paused;
        if (isShort)
        {
            Interlocked.Increment(ref _shortPauses);
            paused.Timer = Task.Delay(ShortPause, CancellationToken.None).ContinueWith(_ => paused.ResumeOnce(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
        else
        {
            Interlocked.Increment(ref _longPauses);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _paused, null) is not { } paused)
        {
            return;
        }

        try
        {
            var left = paused.Length - Stopwatch.GetElapsedTime(paused.Since);
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left, CancellationToken.None).ConfigureAwait(false);
            }

            await (paused.Timer ?? Task.CompletedTask).ConfigureAwait(false);
        }
        finally
        {
            paused.ResumeOnce();
        }
    }

    private sealed class Paused(ILocalServer node, long since, TimeSpan length)
    {
        private int _resumed;

        public long Since { get; } = since;

        public TimeSpan Length { get; } = length;

        public Task? Timer { get; set; }

        public void ResumeOnce()
        {
            if (Interlocked.Exchange(ref _resumed, 1) == 0)
            {
                node.Resume();
            }
        }
    }
}
