using TenantCache.Memcached.Protocol;

namespace TenantCache.Memcached.Internal;

/// <summary>
/// The stall detector: a timer checks the oldest request in flight; older than the stall limit, the
/// server (or the path to it) is declared stuck and the connection closed — that, not one slow reply,
/// is what counts against the node's health. An idle connection sends a heartbeat (<c>mn</c>) every
/// heartbeat interval, so a dead peer is found before a caller needs it.
/// </summary>
internal sealed partial class MemcachedConnection
{
    private ITimer? _stallTimer;
    private long _lastActivity;

    private void StartStallDetector()
    {
        var limit = _connectionSettings.StallTimeout;
        var heartbeat = _connectionSettings.HeartbeatInterval;
        var shortest = heartbeat > TimeSpan.Zero && heartbeat < limit ? heartbeat : limit;
        var period = TimeSpan.FromTicks(Math.Max(shortest.Ticks / 4, TimeSpan.FromMilliseconds(10).Ticks));
        _stallTimer = _timeProvider.CreateTimer(static state => ((MemcachedConnection)state!).CheckStall(), this, period, period);
        if (!IsHealthy)
        {
            _stallTimer.Dispose(); // closed before the timer existed
        }
    }

    private void MarkActivity() => Volatile.Write(ref _lastActivity, _timeProvider.GetTimestamp());

    private void CheckStall()
    {
        if (!IsHealthy)
        {
            return;
        }

        long oldestSent;
        lock (_lock)
        {
            oldestSent = _inFlight.TryPeek(out var oldest) ? oldest.SentTimestamp : 0;
        }

        if (oldestSent != 0)
        {
            var waited = _timeProvider.GetElapsedTime(oldestSent);
            if (waited > _connectionSettings.StallTimeout)
            {
                MemcachedMetrics.Stalls.Add(1, _serverTag);
                Fail(new MemcachedTimeoutException(
                    $"Memcached {Endpoint} stopped answering: the oldest request in flight has waited {waited.TotalMilliseconds:0} ms (stall limit {_connectionSettings.StallTimeout.TotalMilliseconds:0} ms); the connection was closed."));
            }

            return;
        }

        var heartbeat = _connectionSettings.HeartbeatInterval;
        if (heartbeat > TimeSpan.Zero && PendingCount == 0 && _timeProvider.GetElapsedTime(Volatile.Read(ref _lastActivity)) >= heartbeat)
        {
            MarkActivity();
            var probe = new PendingRequest(RequestKind.NoOp, 0);
            MetaCommandWriter.WriteNoOp(probe.Buffer);
            probe.TryClaimResubmission(); // a heartbeat is never sent twice
            probe.ObserveFailure();
            try
            {
                Enqueue(probe);
            }
            catch (MemcachedException)
            {
                // Backlog full cannot happen on an idle connection; nothing to do either way.
            }
        }
    }
}
