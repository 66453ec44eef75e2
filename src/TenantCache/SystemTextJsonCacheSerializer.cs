using System.Buffers;
using System.Text.Json;

namespace TenantCache;

/// <summary>The default <see cref="ICacheSerializer"/>: UTF-8 JSON through System.Text.Json.</summary>
public sealed class SystemTextJsonCacheSerializer : ICacheSerializer
{
    private readonly JsonSerializerOptions _options;

    /// <summary>Creates the serializer with <paramref name="options"/>, or the web defaults.</summary>
    public SystemTextJsonCacheSerializer(JsonSerializerOptions? options = null) =>
        _options = options ?? JsonSerializerOptions.Web;

    /// <inheritdoc />
    public void Serialize<T>(T value, IBufferWriter<byte> destination)
    {
        using var writer = new Utf8JsonWriter(destination);
        JsonSerializer.Serialize(writer, value, _options);
    }

    /// <inheritdoc />
    public T Deserialize<T>(ReadOnlySpan<byte> source) =>
        JsonSerializer.Deserialize<T>(source, _options)!;
}
