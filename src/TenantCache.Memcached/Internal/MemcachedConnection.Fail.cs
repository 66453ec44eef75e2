using System.Net.Sockets;

namespace TenantCache.Memcached.Internal;

/// <summary>Closing: every request in flight fails; every request never written is resubmitted once.</summary>
internal sealed partial class MemcachedConnection
{
    /// <summary>Closes the connection; see <see cref="Fail(Exception, IReadOnlyList{PendingRequest})"/>.</summary>
    public void Fail(Exception exception) => Fail(exception, []);

    /// <summary>
    /// Closes the connection (once): requests in flight fail with <paramref name="exception"/>; requests
    /// never written — <paramref name="unsent"/>, held by the writer, then those still queued — go back
    /// to the node to be sent once more on another connection, or fail if they already had their second chance.
    /// </summary>
    public void Fail(Exception exception, IReadOnlyList<PendingRequest> unsent)
    {
        List<PendingRequest> inFlight;
        bool firstFailure;
        lock (_lock)
        {
            firstFailure = _failure is null;
            if (firstFailure)
            {
                _failure = exception;
                inFlight = [.. _inFlight];
                _inFlight.Clear();
            }
            else
            {
                inFlight = [];
                exception = _failure!;
            }
        }

        var neverWritten = new List<PendingRequest>(unsent);
        if (firstFailure)
        {
            neverWritten.AddRange(CloseQueue());
            CloseSocket();
            _stallTimer?.Dispose();
            MemcachedMetrics.ConnectionsClosed.Add(1, _serverTag);
            if (!_disposing)
            {
                // Health first, so that callers resuming from the failures below already see it.
                Log.ConnectionFailed(_logger, Endpoint, inFlight.Count + neverWritten.Count, exception);
                _callbacks.Failed?.Invoke(this, exception);
            }
        }

        Settled(inFlight.Count);
        FailAll(inFlight, exception);
        Resubmit(neverWritten, exception);
    }

    public async ValueTask DisposeAsync()
    {
        _disposing = true;
        Fail(new MemcachedConnectionException($"The connection to memcached {Endpoint} was closed by the client."));
        await Task.WhenAll(_readerDone.Task, _writerDone.Task).ConfigureAwait(false);
    }

    /// <summary>Hands never-written requests to the node (once each); fails the rest.</summary>
    private void Resubmit(List<PendingRequest> neverWritten, Exception exception)
    {
        if (neverWritten.Count == 0)
        {
            return;
        }

        Settled(neverWritten.Count);
        var again = new List<PendingRequest>(neverWritten.Count);
        foreach (var request in neverWritten)
        {
            request.SetFollowers(null);
            if (request.IsAbandoned)
            {
                request.ReleaseBuffer();
            }
            else if (!_disposing && _callbacks.Unsent is not null && request.TryClaimResubmission())
            {
                again.Add(request);
            }
            else
            {
                request.ReleaseBuffer();
                request.Fail(exception);
            }
        }

        if (again.Count > 0)
        {
            MemcachedMetrics.Resubmitted.Add(again.Count, _serverTag);
            _callbacks.Unsent!(again, exception);
        }
    }

    private void CloseSocket() => _transport.Close();
}
