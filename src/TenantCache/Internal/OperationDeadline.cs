namespace TenantCache.Internal;

/// <summary>
/// The deadline of one public call (<see cref="TenantCacheOptions.OperationTimeout"/>), shared by every
/// store step the call takes, and linked to the caller's token. Pooled per engine (see
/// <see cref="DeadlinePool"/>): a call whose store steps all complete at once never arms a timer and,
/// once the pool is warm, allocates nothing.
/// </summary>
/// <remarks>
/// The timer is armed lazily, by <see cref="Arm"/>, the first time a store step does not complete
/// synchronously, with what is left of the timeout counted from <see cref="Start"/>.
/// <see cref="Pause"/> and <see cref="Resume"/> leave the user's factory out of the budget.
/// </remarks>
internal sealed class OperationDeadline
{
    private readonly TimeProvider _time;
    private CancellationTokenSource _source;
    private CancellationTokenRegistration _link;
    private TimeSpan _timeout;
    private TimeSpan _spent;
    private long _started;
    private bool _armed;

    public OperationDeadline(TimeProvider time)
    {
        _time = time;
        _source = NewSource(time);
    }

    /// <summary>The token store steps are given: cancelled by the deadline or by the caller.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>The budget of this call.</summary>
    public TimeSpan Timeout => _timeout;

    /// <summary>The deadline fired (and the caller did not cancel): the call timed out.</summary>
    public bool Passed(CancellationToken caller) => _source.IsCancellationRequested && !caller.IsCancellationRequested;

    public void Start(TimeSpan timeout, CancellationToken caller)
    {
        _timeout = timeout;
        _spent = TimeSpan.Zero;
        _armed = false;
        _started = _time.GetTimestamp();
        if (caller.CanBeCanceled)
        {
            _link = caller.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _source);
        }
    }

    /// <summary>Starts the timer, if it is not running, with what is left of the budget.</summary>
    public void Arm()
    {
        if (_armed)
        {
            return;
        }

        _armed = true;
        var left = _timeout - _spent - _time.GetElapsedTime(_started);
        if (left <= TimeSpan.Zero)
        {
            _source.Cancel();
        }
        else
        {
            _source.CancelAfter(left);
        }
    }

    /// <summary>Stops counting (the user's factory runs); <see cref="Resume"/> counts on from where it stopped.</summary>
    public void Pause()
    {
        _spent += _time.GetElapsedTime(_started);
        if (_armed && !_source.IsCancellationRequested)
        {
            _source.CancelAfter(System.Threading.Timeout.InfiniteTimeSpan);
        }

        _armed = false;
    }

    public void Resume() => _started = _time.GetTimestamp();

    /// <summary>Unlinks from the caller and readies the deadline for the next call (a fired source is replaced).</summary>
    public void Reset()
    {
        _link.Dispose();
        _link = default;
        if (!_source.TryReset())
        {
            _source.Dispose();
            _source = NewSource(_time);
        }
    }

    private static CancellationTokenSource NewSource(TimeProvider time) =>
        new(System.Threading.Timeout.InfiniteTimeSpan, time);
}

/// <summary>A small per-engine pool of <see cref="OperationDeadline"/>s.</summary>
internal sealed class DeadlinePool
{
    private readonly OperationDeadline?[] _items = new OperationDeadline?[Math.Max(8, Environment.ProcessorCount * 4)];
    private readonly TimeProvider _time;

    public DeadlinePool(TimeProvider time) => _time = time;

    public OperationDeadline Rent(TimeSpan timeout, CancellationToken caller)
    {
        OperationDeadline? deadline = null;
        for (var i = 0; i < _items.Length && deadline is null; i++)
        {
            if (Volatile.Read(ref _items[i]) is not null)
            {
                deadline = Interlocked.Exchange(ref _items[i], null);
            }
        }

        deadline ??= new OperationDeadline(_time);
        deadline.Start(timeout, caller);
        return deadline;
    }

    public void Return(OperationDeadline deadline)
    {
        deadline.Reset();
        for (var i = 0; i < _items.Length; i++)
        {
            if (Interlocked.CompareExchange(ref _items[i], deadline, null) is null)
            {
                return;
            }
        }
    }
}
