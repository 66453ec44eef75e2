using System.Buffers.Text;
using TenantCache.Memcached.Internal;
using TenantCache.Memcached.Protocol;

namespace TenantCache.Memcached;

/// <summary>Counters: increment and decrement (<c>ma</c>).</summary>
public sealed partial class MemcachedClient
{
    /// <summary>
    /// Adds <paramref name="delta"/> to a decimal counter (wrapping at 2^64) and returns the new value;
    /// null when the key does not exist and <paramref name="initialValue"/> is null. With an initial
    /// value a missing counter is created with it (and the delta is not applied), expiring after
    /// <paramref name="ttl"/> (null: never).
    /// </summary>
    public ValueTask<ulong?> IncrementAsync(string key, ulong delta = 1, ulong? initialValue = null, TimeSpan? ttl = null, CancellationToken cancellationToken = default) =>
        ArithmeticAsync(key, true, delta, initialValue, ttl, cancellationToken);

    /// <summary>
    /// Subtracts <paramref name="delta"/> from a decimal counter (never below 0) and returns the new
    /// value; otherwise as <see cref="IncrementAsync"/>.
    /// </summary>
    public ValueTask<ulong?> DecrementAsync(string key, ulong delta = 1, ulong? initialValue = null, TimeSpan? ttl = null, CancellationToken cancellationToken = default) =>
        ArithmeticAsync(key, false, delta, initialValue, ttl, cancellationToken);

    private async ValueTask<ulong?> ArithmeticAsync(string key, bool increment, ulong delta, ulong? initialValue, TimeSpan? ttl, CancellationToken cancellationToken)
    {
        MetaKey.Validate(key);
        var wireTtl = MetaTtl.ToWire(ttl, _timeProvider, nameof(ttl));
        ThrowIfDisposed();
        var node = NodeFor(key);
        var request = BuildArithmetic(key, increment, delta, initialValue, wireTtl);
        var response = await node.SendAsync(request, cancellationToken).ConfigureAwait(false);
        switch (response.Kind)
        {
            case MetaReplyKind.Value:
                ReadOnlySpan<byte> digits = response.Value.AsSpan().TrimEnd((byte)' ');
                if (Utf8Parser.TryParse(digits, out ulong number, out var used) && used == digits.Length)
                {
                    return number;
                }

                throw new MemcachedProtocolException($"Memcached {node.Endpoint} returned a counter that is not a number.");
            case MetaReplyKind.NotFound:
            case MetaReplyKind.NotStored:
                return null;
            default:
                throw Unexpected(response, node.Endpoint);
        }
    }
}
