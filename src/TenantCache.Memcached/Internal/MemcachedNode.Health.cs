using TenantCache.Memcached.Protocol;

namespace TenantCache.Memcached.Internal;

/// <summary>
/// Health: after <see cref="NodeSettings.FailureThreshold"/> consecutive failures the node is down for
/// the retry delay (doubling after each failed probe up to the maximum). While down, requests fail
/// at once; when the delay has passed one caller probes with <c>mn</c> and brings it back. Keys never
/// move to another node (failure, not failover).
/// </summary>
internal sealed partial class MemcachedNode
{
    private readonly Lock _healthLock = new();
    private int _consecutiveFailures;
    private long _downUntilTicks;
    private TimeSpan _currentDelay;
    private int _probing;

    /// <summary>Whether the node is marked down (including while a probe is pending).</summary>
    public bool IsDown => Volatile.Read(ref _downUntilTicks) != 0;

    private async ValueTask<MemcachedConnection> ProbeOrThrowAsync(CancellationToken cancellationToken)
    {
        long downUntil = Volatile.Read(ref _downUntilTicks);
        if (downUntil == 0)
        {
            return await AcquireAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_timeProvider.GetUtcNow().UtcTicks < downUntil || Interlocked.CompareExchange(ref _probing, 1, 0) != 0)
        {
            throw DownException(downUntil);
        }

        try
        {
            MemcachedConnection connection = await ConnectSlot(0).WaitAsync(cancellationToken).ConfigureAwait(false);
            var probe = new PendingRequest(RequestKind.NoOp, 0);
            MetaCommandWriter.WriteNoOp(probe.Buffer);
            await ExecuteAsync(connection, probe, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        finally
        {
            Volatile.Write(ref _probing, 0);
        }
    }

    private MemcachedConnectionException DownException(long downUntil)
    {
        TimeSpan left = new DateTimeOffset(downUntil, TimeSpan.Zero) - _timeProvider.GetUtcNow();
        return new MemcachedConnectionException(
            $"Memcached {Endpoint} is marked down after repeated failures; next probe in {Math.Max(0, left.TotalMilliseconds):0} ms. Its keys are not moved to another server.");
    }

    private void RecordSuccess()
    {
        if (Volatile.Read(ref _consecutiveFailures) != 0)
        {
            Volatile.Write(ref _consecutiveFailures, 0);
        }

        if (Volatile.Read(ref _downUntilTicks) != 0)
        {
            lock (_healthLock)
            {
                if (_downUntilTicks == 0)
                {
                    return;
                }

                _downUntilTicks = 0;
                _currentDelay = TimeSpan.Zero;
            }

            Log.NodeUp(_logger, Endpoint);
        }
    }

    private void RecordFailure()
    {
        int failures = Interlocked.Increment(ref _consecutiveFailures);
        if (failures < _settings.FailureThreshold)
        {
            return;
        }

        TimeSpan delay;
        lock (_healthLock)
        {
            long now = _timeProvider.GetUtcNow().UtcTicks;
            if (_downUntilTicks != 0 && now < _downUntilTicks)
            {
                return;
            }

            delay = _currentDelay == TimeSpan.Zero
                ? _settings.RetryDelay
                : TimeSpan.FromTicks(Math.Min(_currentDelay.Ticks * 2, _settings.MaxRetryDelay.Ticks));
            _currentDelay = delay;
            Volatile.Write(ref _downUntilTicks, now + delay.Ticks);
        }

        MemcachedMetrics.NodeDown.Add(1, _serverTag);
        Log.NodeDown(_logger, Endpoint, failures, delay);
    }
}
