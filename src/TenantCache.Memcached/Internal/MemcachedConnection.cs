using Microsoft.Extensions.Logging;

namespace TenantCache.Memcached.Internal;

/// <summary>
/// One socket to one server, served by two dedicated threads (not thread-pool threads, so a starved
/// pool or blocked synchronous callers cannot hold replies back): a writer that coalesces queued
/// requests into few sends, and a reader that completes in-flight requests in FIFO order, checking
/// each reply against its request. A caller that stops waiting (timeout, cancellation) abandons its
/// request: its reply is still read and dropped, and the connection stays open. The connection is
/// closed — failing what is in flight, resubmitting once what was never written — when the stream
/// can no longer be trusted (garbage, unmatched reply, socket error) or when it stalls (see
/// <c>MemcachedConnection.Stall.cs</c>).
/// </summary>
internal sealed partial class MemcachedConnection : IAsyncDisposable
{
    private readonly ConnectionTransport _transport;
    private readonly Queue<PendingRequest> _inFlight = new();
    private readonly Lock _lock = new();
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly ConnectionSettings _connectionSettings;
    private readonly ConnectionCallbacks _callbacks;
    private readonly int _maxReplyValue;
    private readonly KeyValuePair<string, object?> _serverTag;
    private readonly TaskCompletionSource _readerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _writerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? _failure;
    private bool _disposing;
    private int _pending;
    private bool _lagging;

    private MemcachedConnection(
        ConnectionTransport transport,
        ServerEndpoint endpoint,
        IReadOnlyDictionary<string, string> settings,
        int itemSizeMax,
        ConnectionSettings connectionSettings,
        TimeProvider timeProvider,
        ILogger logger,
        ConnectionCallbacks callbacks)
    {
        _transport = transport;
        Endpoint = endpoint;
        Settings = settings;
        ItemSizeMax = itemSizeMax;
        _connectionSettings = connectionSettings;
        _timeProvider = timeProvider;
        _logger = logger;
        _callbacks = callbacks;
        _maxReplyValue = itemSizeMax + 1024;
        _serverTag = MemcachedMetrics.ServerTag(endpoint.ToString());
        _lastActivity = timeProvider.GetTimestamp();
    }

    public ServerEndpoint Endpoint { get; }

    /// <summary>The server's <c>stats settings</c>, read when the connection opened.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>The server's <c>item_size_max</c>.</summary>
    public int ItemSizeMax { get; }

    /// <summary>False once the connection has failed or been disposed.</summary>
    public bool IsHealthy => Volatile.Read(ref _failure) is null;

    /// <summary>
    /// True from a timeout of a request already written until the next reply arrives: the connection
    /// is behind, and a node with another connection steers new requests there meanwhile.
    /// </summary>
    public bool IsLagging => Volatile.Read(ref _lagging);

    /// <summary>Requests accepted and not yet answered or failed (queued, being written, or in flight).</summary>
    public int PendingCount => Volatile.Read(ref _pending);

    /// <summary>
    /// Queues a request for the writer. Throws <see cref="MemcachedBacklogFullException"/> (the
    /// request's buffer released) when the backlog is full; fails it when the connection is closed.
    /// </summary>
    public void Enqueue(PendingRequest request) => EnqueueCore(request, 1);

    /// <summary>Queues requests that must leave in one send, in order (all or none accepted).</summary>
    public void EnqueueBatch(PendingRequest[] requests)
    {
        requests[0].SetFollowers(requests.Length > 1 ? requests[1..] : null);
        EnqueueCore(requests[0], requests.Length);
    }

    /// <summary>
    /// Waits for <paramref name="request"/>'s reply. On a timeout or a cancellation the request is
    /// abandoned (never written if it still can be; otherwise its reply is read and dropped) and the
    /// connection stays open: a slow reply costs its own caller, not every request pipelined behind it.
    /// </summary>
    public async Task<MetaResponse> WaitAsync(PendingRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (timeout <= TimeSpan.Zero && !request.Task.IsCompleted)
        {
            throw Abandon(request, timeout);
        }

        try
        {
            return await request.Task.WaitAsync(timeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw Abandon(request, timeout);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            request.Abandon();
            throw;
        }
    }

    /// <summary>Gives up on a request without closing the connection; returns the caller's exception.</summary>
    public MemcachedTimeoutException Abandon(PendingRequest request, TimeSpan timeout)
    {
        if (!request.Abandon())
        {
            // Written and unanswered past its deadline: the replies behind it are held up too, so the
            // node sends new requests to another connection until this one answers again.
            Volatile.Write(ref _lagging, true);
        }
        return new MemcachedTimeoutException(
            $"Memcached {Endpoint} did not answer within {timeout.TotalMilliseconds:0} ms; the request was abandoned (the connection stays open).");
    }

    private Exception FailureOrClosed() =>
        Volatile.Read(ref _failure) ?? new MemcachedConnectionException($"The connection to memcached {Endpoint} is closed.");
}
