namespace TenantCache.Memcached.Internal;

/// <summary>Sending requests on a node's connection, with the operation timeout, metrics and health.</summary>
internal sealed partial class MemcachedNode
{
    /// <summary>Sends one request and waits for its reply within the operation timeout.</summary>
    public async ValueTask<MetaResponse> ExecuteAsync(MemcachedConnection connection, PendingRequest request, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            request.ReleaseBuffer();
            cancellationToken.ThrowIfCancellationRequested();
        }

        MemcachedMetrics.Requests.Add(1, _serverTag);
        connection.Enqueue(request);
        try
        {
            MetaResponse response = await connection.WaitAsync(request, _settings.OperationTimeout, cancellationToken).ConfigureAwait(false);
            RecordSuccess();
            return response;
        }
        catch (Exception e) when (e is MemcachedException)
        {
            Count(e);
            throw;
        }
    }

    /// <summary>
    /// Sends a batch back to back on one connection (one write for all of them) and waits for every
    /// reply; the whole batch shares one operation timeout.
    /// </summary>
    public async ValueTask<MetaResponse[]> ExecuteBatchAsync(MemcachedConnection connection, PendingRequest[] requests, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            foreach (PendingRequest request in requests)
            {
                request.ReleaseBuffer();
            }

            cancellationToken.ThrowIfCancellationRequested();
        }

        MemcachedMetrics.Requests.Add(requests.Length, _serverTag);
        connection.EnqueueBatch(requests);

        var responses = new MetaResponse[requests.Length];
        try
        {
            // Replies complete in FIFO order, and a broken connection fails every request at once, so
            // when the last request is done every earlier one is too: one timed wait covers the batch.
            long started = _timeProvider.GetTimestamp();
            await connection.WaitAsync(requests[^1], _settings.OperationTimeout, cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < requests.Length; i++)
            {
                responses[i] = requests[i].Task.IsCompleted
                    ? await requests[i].Task.ConfigureAwait(false)
                    : await connection.WaitAsync(requests[i], _settings.OperationTimeout - _timeProvider.GetElapsedTime(started), cancellationToken).ConfigureAwait(false);
            }

            RecordSuccess();
            return responses;
        }
        catch (Exception e) when (e is MemcachedException)
        {
            Count(e);
            throw;
        }
        catch (OperationCanceledException)
        {
            foreach (PendingRequest request in requests)
            {
                request.TryAbandon();
            }

            throw;
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
