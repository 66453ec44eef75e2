using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TenantCache.Memcached.Internal;
using TenantCache.Memcached.Protocol;

namespace TenantCache.Memcached;

/// <summary>
/// A pipelined memcached meta-protocol client over one or more servers, placing keys with
/// libmemcached-compatible ketama. Thread-safe; create one per cluster and share it.
/// </summary>
/// <remarks>
/// Failures surface as <see cref="MemcachedException"/> subclasses; a key whose server is down fails
/// instead of moving to another server. Invalid keys, values over the server's item size and
/// out-of-range TTLs throw <see cref="ArgumentException"/> before anything is sent.
/// </remarks>
public sealed partial class MemcachedClient : IAsyncDisposable, IDisposable
{
    private readonly MemcachedNode[] _nodes;
    private readonly KetamaRing _ring;
    private readonly TimeProvider _timeProvider;
    private readonly ConnectionSecurity _security;
    private int _opaque;
    private int _disposed;

    /// <summary>Creates a client. No connection is opened until the first operation.</summary>
    /// <param name="options">Servers, timeouts and health settings; validated here.</param>
    /// <param name="loggerFactory">Logging; none when null.</param>
    /// <param name="timeProvider">
    /// Clock for timeouts, retry delays and absolute TTLs; the system clock when null. A fake clock
    /// that is never advanced also stops timeouts from firing.
    /// </param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public MemcachedClient(MemcachedOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _timeProvider = timeProvider ?? TimeProvider.System;
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("TenantCache.Memcached");
        Servers = options.ResolveEndpoints();
        _security = ConnectionSecurity.From(options);
        if (_security.AuthenticationCommand is not null && !_security.UsesTls)
        {
            Log.CredentialsWithoutTls(logger);
        }

        var settings = NodeSettings.From(options, _security);
        _nodes = Servers.Select(s => new MemcachedNode(s, settings, _timeProvider, logger)).ToArray();
        _ring = new KetamaRing(Servers);
    }

    /// <summary>The configured servers, in configuration order.</summary>
    public IReadOnlyList<ServerEndpoint> Servers { get; }

    /// <summary>
    /// The largest value accepted for any key: the smallest <c>item_size_max</c> known (1 MiB for
    /// servers not contacted yet) less the item header, the longest key and client flags.
    /// </summary>
    public int MaxValueLength
    {
        get
        {
            var smallest = int.MaxValue;
            foreach (var node in _nodes)
            {
                smallest = Math.Min(smallest, node.ItemSizeMax);
            }

            return ItemLimits.MaxValueLengthAnyKey(smallest);
        }
    }

    /// <summary>The server ketama assigns <paramref name="key"/> to, without any network access.</summary>
    public ServerEndpoint Locate(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Servers[_ring.Locate(key)];
    }

    /// <summary>
    /// The server ketama (libmemcached <c>KETAMA_WEIGHTED</c>) assigns <paramref name="key"/> to among
    /// <paramref name="servers"/>, without any network access.
    /// </summary>
    public static ServerEndpoint Locate(IReadOnlyList<ServerEndpoint> servers, string key)
    {
        ArgumentNullException.ThrowIfNull(servers);
        ArgumentNullException.ThrowIfNull(key);
        ServerEndpoint.EnsureDistinct(servers);
        return servers[new KetamaRing(servers).Locate(key)];
    }

    /// <summary>Closes every connection; requests in flight fail with <see cref="MemcachedConnectionException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var node in _nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }

        _security.Dispose();
    }

    /// <summary>Closes every connection (synchronously waits for <see cref="DisposeAsync"/>).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    internal TimeProvider TimeProvider => _timeProvider;

    internal MemcachedNode NodeFor(string key) => _nodes[_ring.Locate(key)];

    internal MemcachedNode NodeAt(ServerEndpoint server)
    {
        for (var i = 0; i < _nodes.Length; i++)
        {
            if (Servers[i].Equals(server))
            {
                return _nodes[i];
            }
        }

        throw new ArgumentException($"{server} is not one of this client's servers.", nameof(server));
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private uint NextOpaque()
    {
        var opaque = (uint)Interlocked.Increment(ref _opaque);
        return opaque == 0 ? (uint)Interlocked.Increment(ref _opaque) : opaque;
    }
}
