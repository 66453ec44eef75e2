namespace TenantCache.Memcached.Internal;

/// <summary>The queue between callers and the writer thread, bounded by the backlog limit.</summary>
internal sealed partial class MemcachedConnection
{
    private readonly Queue<PendingRequest> _queue = new();
    private readonly object _queueGate = new();
    private bool _queueClosed;
    private bool _writerWaiting;

    private void EnqueueCore(PendingRequest head, int count)
    {
        bool closed;
        lock (_queueGate)
        {
            closed = _queueClosed;
            if (!closed)
            {
                var pending = Volatile.Read(ref _pending);
                if (pending + count > _connectionSettings.MaxPendingRequests && pending > 0)
                {
                    ReleaseAll(head);
                    MemcachedMetrics.BacklogFull.Add(count, _serverTag);
                    throw new MemcachedBacklogFullException(
                        $"The connection to memcached {Endpoint} already has {pending} requests queued or awaiting a reply (the limit is {_connectionSettings.MaxPendingRequests}); the request was not sent.");
                }

                Interlocked.Add(ref _pending, count);
                _queue.Enqueue(head);
                if (_writerWaiting)
                {
                    _writerWaiting = false;
                    Monitor.Pulse(_queueGate);
                }
            }
        }

        if (closed)
        {
            FailAll(Expand(head), FailureOrClosed());
        }
    }

    /// <summary>Blocks the writer thread until requests are queued; false once the queue is closed and empty.</summary>
    private bool TakeQueued(List<PendingRequest> into)
    {
        var slept = false;
        lock (_queueGate)
        {
            while (_queue.Count == 0)
            {
                if (_queueClosed)
                {
                    return false;
                }

                _writerWaiting = true;
                Monitor.Wait(_queueGate);
                slept = true;
            }
        }

        if (slept)
        {
            // Woken by the first caller of a burst: let the others queue too, so that they share the send.
            Thread.Yield();
        }

        lock (_queueGate)
        {

            while (_queue.TryDequeue(out var head))
            {
                into.Add(head);
            }

            return true;
        }
    }

    /// <summary>Closes the queue and returns what it still held, followers included, in order.</summary>
    private List<PendingRequest> CloseQueue()
    {
        var left = new List<PendingRequest>();
        lock (_queueGate)
        {
            _queueClosed = true;
            while (_queue.TryDequeue(out var head))
            {
                left.AddRange(Expand(head));
            }

            Monitor.PulseAll(_queueGate);
        }

        return left;
    }

    /// <summary>One fewer request pending (answered, dropped as abandoned, or failed).</summary>
    private void Settled(int count = 1) => Interlocked.Add(ref _pending, -count);

    private static List<PendingRequest> Expand(PendingRequest head)
    {
        var followers = head.TakeFollowers();
        var all = new List<PendingRequest>(1 + (followers?.Length ?? 0)) { head };
        all.AddRange(followers ?? []);
        return all;
    }

    private static void ReleaseAll(PendingRequest head)
    {
        foreach (var request in Expand(head))
        {
            request.ReleaseBuffer();
        }
    }

    private static void FailAll(IEnumerable<PendingRequest> requests, Exception exception)
    {
        foreach (var request in requests)
        {
            request.ReleaseBuffer();
            request.Fail(exception);
        }
    }
}
