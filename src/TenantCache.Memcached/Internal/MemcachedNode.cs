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
    private readonly ConnectionCallbacks _callbacks;
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
        _callbacks = new ConnectionCallbacks((_, _) => RecordFailure(), Resubmit);
    }

    public ServerEndpoint Endpoint { get; }

    /// <summary>The server's item_size_max as last read (1 MiB until the first connection).</summary>
    public int ItemSizeMax => Volatile.Read(ref _itemSizeMax);

    /// <summary>Whether a connection has ever reported the server's settings.</summary>
    public bool HasSettings => Settings is not null;

    /// <summary>The server's <c>stats settings</c> from the latest connection, or null before the first.</summary>
    public IReadOnlyDictionary<string, string>? Settings { get; private set; }

    /// <summary>
    /// Returns a healthy connection, opening one if needed, waiting at most <paramref name="wait"/> for
    /// it (the attempt itself, shared by every caller of the slot, runs for up to the connect timeout).
    /// Throws at once while the server is marked down, except for the single caller chosen to probe it.
    /// </summary>
    public ValueTask<MemcachedConnection> AcquireAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsDown)
        {
            return ProbeOrThrowAsync(wait, cancellationToken);
        }

        var slot = (int)((uint)Interlocked.Increment(ref _next) % (uint)_slots.Length);
        var current = Volatile.Read(ref _slots[slot]);
        if (current is { IsCompletedSuccessfully: true } && current.Result.IsHealthy)
        {
            return new ValueTask<MemcachedConnection>(current.Result.IsLagging ? AvoidLagging(slot, current.Result) : current.Result);
        }

        return new ValueTask<MemcachedConnection>(WaitForSlotAsync(slot, wait, cancellationToken));
    }

    /// <summary>Returns a healthy connection within the connect timeout (for administrative calls).</summary>
    public ValueTask<MemcachedConnection> AcquireAsync(CancellationToken cancellationToken) =>
        AcquireAsync(_settings.ConnectTimeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        Task<MemcachedConnection>?[] slots;
        lock (_slotLock)
        {
            _disposed = true;
            slots = [.. _slots];
        }

        foreach (var slot in slots)
        {
            if (slot is { IsCompletedSuccessfully: true })
            {
                await slot.Result.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Another open connection of this node that is neither broken nor lagging, else <paramref name="lagging"/>.</summary>
    private MemcachedConnection AvoidLagging(int slot, MemcachedConnection lagging)
    {
        for (var i = 1; i < _slots.Length; i++)
        {
            var other = Volatile.Read(ref _slots[(slot + i) % _slots.Length]);
            if (other is { IsCompletedSuccessfully: true } && other.Result is { IsHealthy: true, IsLagging: false } connection)
            {
                return connection;
            }
        }

        return lagging;
    }

    private async Task<MemcachedConnection> WaitForSlotAsync(int slot, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (wait <= TimeSpan.Zero)
        {
            throw new MemcachedTimeoutException($"The operation timeout ran out before a connection to memcached {Endpoint} was open.");
        }

        try
        {
            return await ConnectSlot(slot).WaitAsync(wait, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new MemcachedTimeoutException(
                $"A connection to memcached {Endpoint} did not open within the {wait.TotalMilliseconds:0} ms left of the operation timeout.");
        }
    }

    /// <summary>Returns the slot's live connection or the attempt in progress, starting one if needed.</summary>
    private Task<MemcachedConnection> ConnectSlot(int slot)
    {
        lock (_slotLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var current = _slots[slot];
            if (current is not null && (!current.IsCompleted || (current.IsCompletedSuccessfully && current.Result.IsHealthy)))
            {
                return current;
            }

            var attempt = OpenAsync();
            _slots[slot] = attempt;
            return attempt;
        }
    }

    private async Task<MemcachedConnection> OpenAsync()
    {
        try
        {
            var connection = await MemcachedConnection.ConnectAsync(
                Endpoint, _settings.ConnectTimeout, _settings.Connection, _timeProvider, _logger, _callbacks).ConfigureAwait(false);
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

}
