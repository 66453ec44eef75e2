namespace TenantCache.Internal;

/// <summary>
/// What every store step of one public call carries: the caller's token and the call's deadline
/// (<see langword="null"/> when <see cref="TenantCacheOptions.OperationTimeout"/> is infinite).
/// </summary>
internal readonly struct StoreCall
{
    private readonly OperationDeadline? _deadline;

    public StoreCall(OperationDeadline? deadline, CancellationToken caller)
    {
        Caller = caller;
        _deadline = deadline;
    }

    /// <summary>The deadline, for <c>CacheEngine.EndCall</c> to return it.</summary>
    public OperationDeadline? Deadline => _deadline;

    /// <summary>The caller's own token: the user's factory gets this one, never the deadline's.</summary>
    public CancellationToken Caller { get; }

    /// <summary>The token a store step is given.</summary>
    public CancellationToken Token => _deadline?.Token ?? Caller;

    /// <summary>Arms the deadline when <paramref name="step"/> has to wait; returns it unchanged.</summary>
    public ValueTask Watch(ValueTask step)
    {
        if (!step.IsCompleted)
        {
            _deadline?.Arm();
        }

        return step;
    }

    /// <inheritdoc cref="Watch(ValueTask)"/>
    public ValueTask<T> Watch<T>(ValueTask<T> step)
    {
        if (!step.IsCompleted)
        {
            _deadline?.Arm();
        }

        return step;
    }

    /// <summary>Arms the deadline when <paramref name="step"/> has to wait; returns it unchanged.</summary>
    public Task Watch(Task step)
    {
        if (!step.IsCompleted)
        {
            _deadline?.Arm();
        }

        return step;
    }

    /// <inheritdoc cref="Watch(Task)"/>
    public Task<T> Watch<T>(Task<T> step)
    {
        if (!step.IsCompleted)
        {
            _deadline?.Arm();
        }

        return step;
    }

    /// <summary>The caller cancelled: that is never a store failure, it is rethrown.</summary>
    public bool IsCallerCancellation(Exception exception) =>
        exception is OperationCanceledException && Caller.IsCancellationRequested;

    /// <summary>
    /// The failure a store step's exception stands for: a cancellation by the deadline becomes a
    /// <see cref="CacheOperationTimeoutException"/>, anything else is itself.
    /// </summary>
    public Exception Classify(Exception exception) =>
        exception is OperationCanceledException && _deadline is { } deadline && deadline.Passed(Caller)
            ? new CacheOperationTimeoutException(deadline.Timeout, exception)
            : exception;

    public void Pause() => _deadline?.Pause();

    public void Resume() => _deadline?.Resume();
}
