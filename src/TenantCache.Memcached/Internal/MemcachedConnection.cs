using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace TenantCache.Memcached.Internal;

/// <summary>
/// One socket to one server: one write loop that coalesces queued requests, one read loop that
/// completes the in-flight requests in FIFO order and checks each reply against its request. Any
/// doubt about the stream (garbage, unmatched reply, timeout, socket error) closes the connection
/// and fails everything in flight; it never tries to resynchronise.
/// </summary>
internal sealed partial class MemcachedConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Channel<PendingRequest> _queue = Channel.CreateUnbounded<PendingRequest>(
        new UnboundedChannelOptions { SingleReader = false, SingleWriter = false, AllowSynchronousContinuations = false });

    private readonly Queue<PendingRequest> _inFlight = new();
    private readonly Lock _lock = new();
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Action<MemcachedConnection, Exception>? _onFailed;
    private readonly int _maxReplyValue;
    private Exception? _failure;
    private bool _disposing;
    private Task _readLoop = Task.CompletedTask;
    private Task _writeLoop = Task.CompletedTask;

    private MemcachedConnection(
        Socket socket,
        ServerEndpoint endpoint,
        IReadOnlyDictionary<string, string> settings,
        int itemSizeMax,
        TimeProvider timeProvider,
        ILogger logger,
        Action<MemcachedConnection, Exception>? onFailed)
    {
        _socket = socket;
        Endpoint = endpoint;
        Settings = settings;
        ItemSizeMax = itemSizeMax;
        _timeProvider = timeProvider;
        _logger = logger;
        _onFailed = onFailed;
        _maxReplyValue = itemSizeMax + 1024;
    }

    public ServerEndpoint Endpoint { get; }

    /// <summary>The server's <c>stats settings</c>, read when the connection opened.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>The server's <c>item_size_max</c>.</summary>
    public int ItemSizeMax { get; }

    /// <summary>False once the connection has failed or been disposed.</summary>
    public bool IsHealthy => Volatile.Read(ref _failure) is null;

    /// <summary>Queues a request for the write loop; fails it at once if the connection is closed.</summary>
    public void Enqueue(PendingRequest request)
    {
        if (!_queue.Writer.TryWrite(request))
        {
            FailQueued(request, FailureOrClosed());
        }
    }

    /// <summary>Queues requests that must leave in one send, in order.</summary>
    public void EnqueueBatch(PendingRequest[] requests)
    {
        if (requests.Length > 1)
        {
            requests[0].SetFollowers(requests[1..]);
        }

        Enqueue(requests[0]);
    }

    /// <summary>Fails a request that never reached the socket, and the followers it carries.</summary>
    private static void FailQueued(PendingRequest request, Exception exception)
    {
        PendingRequest[]? followers = request.TakeFollowers();
        request.ReleaseBuffer();
        request.Fail(exception);
        foreach (PendingRequest follower in followers ?? [])
        {
            follower.ReleaseBuffer();
            follower.Fail(exception);
        }
    }

    /// <summary>
    /// Waits for <paramref name="request"/>'s reply. A timeout closes the connection (failing every
    /// request in flight); a cancellation leaves the request in the FIFO so its reply is read and dropped.
    /// </summary>
    public async Task<MetaResponse> WaitAsync(PendingRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (timeout <= TimeSpan.Zero && !request.Task.IsCompleted)
        {
            throw TimedOut(timeout);
        }

        try
        {
            return await request.Task.WaitAsync(timeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw TimedOut(timeout);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            request.TryAbandon();
            throw;
        }
    }

    /// <summary>Closes the connection and fails every queued and in-flight request with <paramref name="exception"/>.</summary>
    public void Fail(Exception exception)
    {
        List<PendingRequest> failed;
        lock (_lock)
        {
            if (_failure is not null)
            {
                return;
            }

            _failure = exception;
            failed = [.. _inFlight];
            _inFlight.Clear();
        }

        _queue.Writer.TryComplete();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception)
        {
            // Already closed by the peer.
        }

        _socket.Dispose();
        var queued = new List<PendingRequest>();
        while (_queue.Reader.TryRead(out PendingRequest? request))
        {
            queued.Add(request);
            queued.AddRange(request.TakeFollowers() ?? []);
        }

        foreach (PendingRequest request in queued)
        {
            request.ReleaseBuffer();
        }

        if (!_disposing)
        {
            // Health first, so that callers resuming from the failures below already see it.
            Log.ConnectionFailed(_logger, Endpoint, failed.Count + queued.Count, exception);
            _onFailed?.Invoke(this, exception);
        }

        foreach (PendingRequest request in failed.Concat(queued))
        {
            request.Fail(exception);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposing = true;
        Fail(new MemcachedConnectionException($"The connection to memcached {Endpoint} was closed by the client."));
        try
        {
            await Task.WhenAll(_readLoop, _writeLoop).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The loops report through Fail; nothing to add here.
        }
    }

    private void Start()
    {
        _readLoop = Task.Run(ReadLoopAsync);
        _writeLoop = Task.Run(WriteLoopAsync);
    }

    private MemcachedTimeoutException TimedOut(TimeSpan timeout)
    {
        var exception = new MemcachedTimeoutException(
            $"Memcached {Endpoint} did not answer within {timeout.TotalMilliseconds:0} ms; the connection was closed.");
        Fail(exception);
        return exception;
    }

    private Exception FailureOrClosed() =>
        Volatile.Read(ref _failure) ?? new MemcachedConnectionException($"The connection to memcached {Endpoint} is closed.");

    /// <summary>Adds a request about to be written to the FIFO; false (and the request failed) when closed.</summary>
    private bool TryAddInFlight(PendingRequest request)
    {
        lock (_lock)
        {
            if (_failure is null)
            {
                _inFlight.Enqueue(request);
                return true;
            }
        }

        request.Fail(FailureOrClosed());
        return false;
    }

    private PendingRequest? TakeInFlight()
    {
        lock (_lock)
        {
            return _inFlight.TryDequeue(out PendingRequest? request) ? request : null;
        }
    }
}
