using Microsoft.Extensions.Logging;
using TenantCache.Memcached.Protocol;

namespace TenantCache.Memcached.Internal;

/// <summary>
/// One server: a few pipelined connections used round-robin, opened lazily and replaced when they
/// fail, plus the server's health (see <c>MemcachedNode.Health.cs</c>).
/// </summary>
internal sealed partial class MemcachedNode : IAsyncDisposable
{
    private readonly NodeSettings _settings;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Task<MemcachedConnection>?[] _slots;
    private readonly Lock _slotLock = new();
    private readonly KeyValuePair<string, object?> _serverTag;
    private int _next;
    private int _itemSizeMax = ItemLimits.DefaultItemSizeMax;
    private bool _disposed;

    public MemcachedNode(ServerEndpoint endpoint, NodeSettings settings, TimeProvider timeProvider, ILogger logger)
    {
        Endpoint = endpoint;
        _settings = settings;
        _timeProvider = timeProvider;
        _logger = logger;
        _slots = new Task<MemcachedConnection>?[settings.ConnectionsPerServer];
        _serverTag = MemcachedMetrics.ServerTag(endpoint.ToString());
    }

    public ServerEndpoint Endpoint { get; }

    /// <summary>The server's item_size_max as last read (1 MiB until the first connection).</summary>
    public int ItemSizeMax => Volatile.Read(ref _itemSizeMax);

    /// <summary>Whether a connection has ever reported the server's settings.</summary>
    public bool HasSettings => Settings is not null;

    /// <summary>The server's <c>stats settings</c> from the latest connection, or null before the first.</summary>
    public IReadOnlyDictionary<string, string>? Settings { get; private set; }

    /// <summary>
    /// Returns a healthy connection, opening one if needed. Throws at once while the server is marked
    /// down, except for the single caller chosen to probe it.
    /// </summary>
    public ValueTask<MemcachedConnection> AcquireAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsDown)
        {
            return ProbeOrThrowAsync(cancellationToken);
        }

        int slot = (int)((uint)Interlocked.Increment(ref _next) % (uint)_slots.Length);
        Task<MemcachedConnection>? current = Volatile.Read(ref _slots[slot]);
        if (current is { IsCompletedSuccessfully: true } && current.Result.IsHealthy)
        {
            return new ValueTask<MemcachedConnection>(current.Result);
        }

        return new ValueTask<MemcachedConnection>(ConnectSlot(slot).WaitAsync(cancellationToken));
    }

    /// <summary>Sends one request and waits for its reply within the operation timeout.</summary>
    public async ValueTask<MetaResponse> ExecuteAsync(MemcachedConnection connection, PendingRequest request, CancellationToken cancellationToken)
    {
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
        MemcachedMetrics.Requests.Add(requests.Length, _serverTag);
        foreach (PendingRequest request in requests)
        {
            connection.Enqueue(request);
        }

        long started = _timeProvider.GetTimestamp();
        var responses = new MetaResponse[requests.Length];
        try
        {
            for (int i = 0; i < requests.Length; i++)
            {
                TimeSpan left = _settings.OperationTimeout - _timeProvider.GetElapsedTime(started);
                responses[i] = await connection.WaitAsync(requests[i], left, cancellationToken).ConfigureAwait(false);
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

    public async ValueTask DisposeAsync()
    {
        Task<MemcachedConnection>?[] slots;
        lock (_slotLock)
        {
            _disposed = true;
            slots = [.. _slots];
        }

        foreach (Task<MemcachedConnection>? slot in slots)
        {
            if (slot is { IsCompletedSuccessfully: true })
            {
                await slot.Result.DisposeAsync().ConfigureAwait(false);
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

    /// <summary>Returns the slot's live connection or the attempt in progress, starting one if needed.</summary>
    private Task<MemcachedConnection> ConnectSlot(int slot)
    {
        lock (_slotLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Task<MemcachedConnection>? current = _slots[slot];
            if (current is not null && (!current.IsCompleted || (current.IsCompletedSuccessfully && current.Result.IsHealthy)))
            {
                return current;
            }

            Task<MemcachedConnection> attempt = OpenAsync();
            _slots[slot] = attempt;
            return attempt;
        }
    }

    private async Task<MemcachedConnection> OpenAsync()
    {
        try
        {
            MemcachedConnection connection = await MemcachedConnection.ConnectAsync(
                Endpoint, _settings.ConnectTimeout, _timeProvider, _logger, OnConnectionFailed).ConfigureAwait(false);
            Settings = connection.Settings;
            Volatile.Write(ref _itemSizeMax, connection.ItemSizeMax);
            bool disposed;
            lock (_slotLock)
            {
                disposed = _disposed;
            }

            if (disposed)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw new ObjectDisposedException(nameof(MemcachedNode));
            }

            return connection;
        }
        catch (MemcachedException e)
        {
            Log.ConnectFailed(_logger, Endpoint, e);
            RecordFailure();
            throw;
        }
    }

    private void OnConnectionFailed(MemcachedConnection connection, Exception exception) => RecordFailure();
}
