namespace TenantCache.Memcached.Internal;

/// <summary>
/// Sending requests to the node within one deadline per public call (the operation timeout covers the
/// wait for a connection and for the reply), with metrics; and sending requests once more when the
/// connection they were queued on died before writing them.
/// </summary>
internal sealed partial class MemcachedNode
{
    /// <summary>The operation timeout: the budget of one public call.</summary>
    public TimeSpan OperationTimeout => _settings.OperationTimeout;

    /// <summary>
    /// Sends one request and waits for its reply; the whole call, from <paramref name="started"/> (a
    /// <see cref="TimeProvider.GetTimestamp"/>; now when 0), fits in the operation timeout.
    /// </summary>
    public async ValueTask<MetaResponse> SendAsync(PendingRequest request, CancellationToken cancellationToken, long started = 0)
    {
        started = started == 0 ? _timeProvider.GetTimestamp() : started;
        var connection = await ConnectOrReleaseAsync([request], started, cancellationToken).ConfigureAwait(false);
        MemcachedMetrics.Requests.Add(1, _serverTag);
        try
        {
            connection.Enqueue(request);
            var response = await connection.WaitAsync(request, Remaining(started), cancellationToken).ConfigureAwait(false);
            RecordSuccess();
            return response;
        }
        catch (MemcachedException e)
        {
            Count(e);
            throw;
        }
    }

    /// <summary>
    /// Sends a batch back to back on one connection (one write for all of them) and waits for every
    /// reply; the whole call fits in the operation timeout.
    /// </summary>
    public async ValueTask<MetaResponse[]> SendBatchAsync(PendingRequest[] requests, CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        var connection = await ConnectOrReleaseAsync(requests, started, cancellationToken).ConfigureAwait(false);
        MemcachedMetrics.Requests.Add(requests.Length, _serverTag);
        var responses = new MetaResponse[requests.Length];
        var waiting = 0;
        try
        {
            connection.EnqueueBatch(requests);

            // Replies complete in FIFO order and a broken connection fails (or resubmits) every request,
            // so one timed wait on each in turn costs one timer for the batch in the common case.
            for (; waiting < requests.Length; waiting++)
            {
                responses[waiting] = requests[waiting].Task.IsCompletedSuccessfully
                    ? requests[waiting].Task.Result
                    : await connection.WaitAsync(requests[waiting], Remaining(started), cancellationToken).ConfigureAwait(false);
            }

            RecordSuccess();
            return responses;
        }
        catch (Exception e) when (e is MemcachedException or OperationCanceledException)
        {
            for (var i = waiting + 1; i < requests.Length; i++)
            {
                requests[i].Abandon();
            }

            if (e is MemcachedException)
            {
                Count(e);
            }

            throw;
        }
    }

    private TimeSpan Remaining(long started) => _settings.OperationTimeout - _timeProvider.GetElapsedTime(started);

    /// <summary>A connection within the call's deadline; on failure the requests' buffers are released.</summary>
    private async ValueTask<MemcachedConnection> ConnectOrReleaseAsync(PendingRequest[] requests, long started, CancellationToken cancellationToken)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            return await AcquireAsync(Remaining(started), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            foreach (var request in requests)
            {
                request.ReleaseBuffer();
            }

            throw;
        }
    }

    /// <summary>
    /// Requests a dead connection accepted but never wrote: sent once more, together and in order, on
    /// a connection of this node (their callers are still waiting, each within its own deadline).
    /// </summary>
    private void Resubmit(IReadOnlyList<PendingRequest> requests, Exception cause) => _ = ResubmitAsync([.. requests], cause);

    private async Task ResubmitAsync(PendingRequest[] requests, Exception cause)
    {
        try
        {
            var connection = await AcquireAsync(_settings.ConnectTimeout, CancellationToken.None).ConfigureAwait(false);
            connection.EnqueueBatch(requests);
        }
        catch (Exception e)
        {
            var failure = e as MemcachedException ?? cause;
            foreach (var request in requests)
            {
                request.ReleaseBuffer();
                request.Fail(failure);
            }
        }
    }

    private void Count(Exception e)
    {
        MemcachedMetrics.Failures.Add(1, _serverTag);
        if (e is MemcachedTimeoutException)
        {
            MemcachedMetrics.Timeouts.Add(1, _serverTag);
        }
    }
}
