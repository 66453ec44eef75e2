using System.Buffers;

namespace TenantCache;

/// <summary>
/// Turns values into bytes and back. Used for every type except <c>byte[]</c>,
/// <c>ReadOnlyMemory&lt;byte&gt;</c> and <c>string</c>, which are stored as they are.
/// </summary>
public interface ICacheSerializer
{
    /// <summary>Writes <paramref name="value"/> to <paramref name="destination"/>.</summary>
    void Serialize<T>(T value, IBufferWriter<byte> destination);

    /// <summary>Reads a value written by <see cref="Serialize"/>. May throw on bytes it cannot read; the cache turns that into a miss.</summary>
    T Deserialize<T>(ReadOnlySpan<byte> source);
}
