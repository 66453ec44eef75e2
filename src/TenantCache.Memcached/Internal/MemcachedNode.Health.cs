using TenantCache.Memcached.Protocol;

namespace TenantCache.Memcached.Internal;

/// <summary>
/// Health: after <see cref="NodeSettings.FailureThreshold"/> consecutive failures — connect errors,
/// connections closed as broken or stalled; a single slow reply is not one — the node is down for
/// the retry delay. While down, requests fail at once; when the delay has passed one caller probes
/// with <c>mn</c>, and only that probe's success brings the node back (a reply that straggles in on
/// an old connection does not). The delay doubles after each failed probe, and after a relapse
/// within <see cref="NodeSettings.MaxRetryDelay"/> of coming back, up to that maximum, so a server in
/// a brownout is probed less and less often instead of flapping. Keys never move to another node.
/// </summary>
internal sealed partial class MemcachedNode
{
    private readonly Lock _healthLock = new();
    private int _consecutiveFailures;
    private long _downUntilTicks;
    private long _upSinceTicks;
    private TimeSpan _currentDelay;
    private int _probing;

    /// <summary>Whether the node is marked down (including while a probe is pending).</summary>
    public bool IsDown => Volatile.Read(ref _downUntilTicks) != 0;

    private async ValueTask<MemcachedConnection> ProbeOrThrowAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var downUntil = Volatile.Read(ref _downUntilTicks);
        if (downUntil == 0)
        {
            return await AcquireAsync(wait, cancellationToken).ConfigureAwait(false);
        }

        if (_timeProvider.GetUtcNow().UtcTicks < downUntil || Interlocked.CompareExchange(ref _probing, 1, 0) != 0)
        {
            throw DownException(downUntil);
        }

        try
        {
            var started = _timeProvider.GetTimestamp();
            var connection = await WaitForSlotAsync(0, wait, cancellationToken).ConfigureAwait(false);
            var probe = new PendingRequest(RequestKind.NoOp, 0);
            MetaCommandWriter.WriteNoOp(probe.Buffer);
            connection.Enqueue(probe);
            await connection.WaitAsync(probe, wait - _timeProvider.GetElapsedTime(started), cancellationToken).ConfigureAwait(false);
            MarkUp();
            return connection;
        }
        catch (MemcachedException)
        {
            RecordFailure(); // a probe that times out counts, though a slow reply elsewhere does not
            throw;
        }
        finally
        {
            Volatile.Write(ref _probing, 0);
        }
    }

    private MemcachedConnectionException DownException(long downUntil)
    {
        var left = new DateTimeOffset(downUntil, TimeSpan.Zero) - _timeProvider.GetUtcNow();
        return new MemcachedConnectionException(
            $"Memcached {Endpoint} is marked down after repeated failures; next probe in {Math.Max(0, left.TotalMilliseconds):0} ms. Its keys are not moved to another server.");
    }

    /// <summary>A reply arrived: the run of consecutive failures is broken (a down node stays down).</summary>
    private void RecordSuccess()
    {
        if (Volatile.Read(ref _consecutiveFailures) != 0)
        {
            Volatile.Write(ref _consecutiveFailures, 0);
        }
    }

    private void MarkUp()
    {
        lock (_healthLock)
        {
            if (_downUntilTicks == 0)
            {
                return;
            }

            _downUntilTicks = 0;
            _upSinceTicks = _timeProvider.GetUtcNow().UtcTicks;
            Volatile.Write(ref _consecutiveFailures, 0);
        }

        MemcachedMetrics.NodeUp.Add(1, _serverTag);
        Log.NodeUp(_logger, Endpoint);
    }

    private void RecordFailure()
    {
        var failures = Interlocked.Increment(ref _consecutiveFailures);
        if (failures < _settings.FailureThreshold)
        {
            return;
        }

        TimeSpan delay;
        lock (_healthLock)
        {
            var now = _timeProvider.GetUtcNow().UtcTicks;
            if (_downUntilTicks != 0 && now < _downUntilTicks)
            {
                return;
            }

            // Still down (a failed probe), or relapsed soon after coming back: wait longer. Otherwise start over.
            var relapse = _downUntilTicks != 0 || (_currentDelay > TimeSpan.Zero && now - _upSinceTicks < _settings.MaxRetryDelay.Ticks);
            delay = relapse
                ? TimeSpan.FromTicks(Math.Min(_currentDelay.Ticks * 2, _settings.MaxRetryDelay.Ticks))
                : _settings.RetryDelay;
            _currentDelay = delay;
            Volatile.Write(ref _downUntilTicks, now + delay.Ticks);
        }

        MemcachedMetrics.NodeDown.Add(1, _serverTag);
        Log.NodeDown(_logger, Endpoint, failures, delay);
    }
}
