using TenantCache.Memcached.Internal;
using TenantCache.Memcached.Protocol;

namespace TenantCache.Memcached;

/// <summary>Server information and liveness.</summary>
public sealed partial class MemcachedClient
{
    /// <summary>
    /// The server's <c>stats settings</c> (for example <c>item_size_max</c>, <c>cas_enabled</c>), as
    /// read when the client's current connection to it opened; connects if needed.
    /// </summary>
    public async ValueTask<IReadOnlyDictionary<string, string>> GetServerSettingsAsync(ServerEndpoint server, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        ThrowIfDisposed();
        var node = NodeAt(server);
        var connection = await node.AcquireAsync(cancellationToken).ConfigureAwait(false);
        return connection.Settings;
    }

    /// <summary>Sends <c>mn</c> to one server and waits for <c>MN</c>.</summary>
    public async ValueTask PingAsync(ServerEndpoint server, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        ThrowIfDisposed();
        var node = NodeAt(server);
        var request = new PendingRequest(RequestKind.NoOp, 0);
        MetaCommandWriter.WriteNoOp(request.Buffer);
        await node.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
