using System.Runtime.ExceptionServices;
using TenantCache.Memcached.Internal;
using TenantCache.Memcached.Protocol;

namespace TenantCache.Memcached;

/// <summary>Reads: get, multi-get across servers, touch.</summary>
public sealed partial class MemcachedClient
{
    private const MetaGetFlags ReadFlags = MetaGetFlags.Value | MetaGetFlags.ClientFlags | MetaGetFlags.Cas | MetaGetFlags.Ttl;

    /// <summary>Reads a key: value, client flags, CAS and remaining TTL (<c>mg k v f c t</c>).</summary>
    public async ValueTask<MemcachedItem> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        MetaKey.Validate(key);
        ThrowIfDisposed();
        var node = NodeFor(key);
        var request = BuildGet(key, ReadFlags, null);
        var response = await node.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return ToItem(response, node.Endpoint);
    }

    /// <summary>Reads several keys; see <see cref="GetManyAsync(ReadOnlyMemory{string}, Memory{MemcachedItem}, CancellationToken)"/>.</summary>
    public async ValueTask<MemcachedItem[]> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        string[] array = [.. keys];
        var results = new MemcachedItem[array.Length];
        await GetManyAsync(array, results, cancellationToken).ConfigureAwait(false);
        return results;
    }

    /// <summary>
    /// Reads several keys: the keys are grouped per server, every server's batch is written at once
    /// (one write per server) and the servers are awaited in parallel. <paramref name="results"/>[i]
    /// receives key i's item. If any server fails, the exception is thrown after all batches ended.
    /// </summary>
    public ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<MemcachedItem> results, CancellationToken cancellationToken = default) =>
        GetManyAsync(keys, results, ReadOnlyMemory<bool>.Empty, cancellationToken);

    /// <summary>
    /// As <see cref="GetManyAsync(ReadOnlyMemory{string}, Memory{MemcachedItem}, CancellationToken)"/>; keys
    /// whose <paramref name="withoutValue"/> entry is true are read without their value (<c>mg k f c t</c>):
    /// found items then have an empty <see cref="MemcachedItem.Value"/>.
    /// </summary>
    internal ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<MemcachedItem> results, ReadOnlyMemory<bool> withoutValue, CancellationToken cancellationToken) =>
        GetManyAsync(keys, results, withoutValue, -1, default, cancellationToken);

    /// <summary>
    /// As <see cref="GetManyAsync(ReadOnlyMemory{string}, Memory{MemcachedItem}, ReadOnlyMemory{bool}, CancellationToken)"/>;
    /// key <paramref name="leaseIndex"/> (none when -1) is read with the lease flags <paramref name="lease"/>
    /// (<c>mg k v f c N&lt;ttl&gt; [R&lt;secs&gt;] t</c>) and its item carries the reply's lease flags.
    /// </summary>
    internal async ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<MemcachedItem> results, ReadOnlyMemory<bool> withoutValue, int leaseIndex, MetaLease lease, CancellationToken cancellationToken)
    {
        if (results.Length < keys.Length)
        {
            throw new ArgumentException("results must be at least as long as keys.", nameof(results));
        }

        foreach (var key in keys.Span)
        {
            MetaKey.Validate(key, nameof(keys));
        }

        ThrowIfDisposed();
        if (keys.IsEmpty)
        {
            return;
        }

        var perNode = new List<int>[_nodes.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            var node = _nodes.Length == 1 ? 0 : _ring.Locate(keys.Span[i]);
            (perNode[node] ??= []).Add(i);
        }

        var batches = new List<Task>(_nodes.Length);
        for (var n = 0; n < _nodes.Length; n++)
        {
            if (perNode[n] is { } indices)
            {
                batches.Add(GetBatchAsync(_nodes[n], keys, indices, results, withoutValue, leaseIndex, lease, cancellationToken));
            }
        }

        if (batches.Count == 1)
        {
            await batches[0].ConfigureAwait(false);
            return;
        }

        var all = Task.WhenAll(batches);
        try
        {
            await all.ConfigureAwait(false);
        }
        catch when (all.Exception is { InnerExceptions.Count: > 0 })
        {
            // Rethrow the first failure (a typed MemcachedException) rather than an AggregateException.
            ExceptionDispatchInfo.Throw(all.Exception.InnerExceptions[0]);
        }
    }

    /// <summary>Resets a key's TTL (<c>mg k T&lt;ttl&gt;</c>); null means no expiry. True when the key existed.</summary>
    public async ValueTask<bool> TouchAsync(string key, TimeSpan? ttl, CancellationToken cancellationToken = default)
    {
        MetaKey.Validate(key);
        var wireTtl = MetaTtl.ToWire(ttl, _timeProvider, nameof(ttl));
        ThrowIfDisposed();
        var node = NodeFor(key);
        var request = BuildGet(key, MetaGetFlags.None, wireTtl);
        var response = await node.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Kind switch
        {
            MetaReplyKind.Success => true,
            MetaReplyKind.Miss => false,
            _ => throw Unexpected(response, node.Endpoint),
        };
    }

    private async Task GetBatchAsync(MemcachedNode node, ReadOnlyMemory<string> keys, List<int> indices, Memory<MemcachedItem> results, ReadOnlyMemory<bool> withoutValue, int leaseIndex, MetaLease lease, CancellationToken cancellationToken)
    {
        var requests = new PendingRequest[indices.Count];
        for (var i = 0; i < requests.Length; i++)
        {
            var valueless = !withoutValue.IsEmpty && withoutValue.Span[indices[i]];
            requests[i] = BuildGet(keys.Span[indices[i]], valueless ? ReadFlags & ~MetaGetFlags.Value : ReadFlags, null, indices[i] == leaseIndex ? lease : default);
        }

        var responses = await node.SendBatchAsync(requests, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < responses.Length; i++)
        {
            var valueless = !withoutValue.IsEmpty && withoutValue.Span[indices[i]];
            results.Span[indices[i]] = valueless ? ToHeader(responses[i], node.Endpoint) : ToItem(responses[i], node.Endpoint);
        }
    }
}
