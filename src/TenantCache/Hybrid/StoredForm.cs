using System.Buffers;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;

namespace TenantCache.Hybrid;

/// <summary>What a HybridCache value is stored as: the value itself (the engine serializes it) or the bytes of a HybridCache serializer.</summary>
internal interface IStoredForm<T, TStored>
{
    /// <summary>
    /// Whether callers that join another's factory call need their own instance decoded from the
    /// stored payload, because the stored form is the (mutable) value itself.
    /// </summary>
    bool JoinersNeedCopy { get; }

    TStored ToStored(T value);

    /// <summary>Reads a stored value; <see langword="false"/> when it cannot be read (then it counts as a miss).</summary>
    bool TryRead(TStored stored, out T value);
}

/// <summary>
/// The value is handed to the engine as it is. Joiners of a mutable type get their own instance,
/// decoded from what the engine encoded for the store (as Microsoft's HybridCache deserializes one per caller).
/// </summary>
internal sealed class EngineForm<T> : IStoredForm<T, T>
{
    public static readonly EngineForm<T> Instance = new();

    public bool JoinersNeedCopy { get; } = !ImmutableTypes.Is<T>();

    public T ToStored(T value) => value;

    public bool TryRead(T stored, out T value)
    {
        value = stored;
        return true;
    }
}

/// <summary>The value is serialized by an <see cref="IHybridCacheSerializer{T}"/>; the engine stores the bytes raw.</summary>
internal sealed class SerializerForm<T> : IStoredForm<T, ReadOnlyMemory<byte>>
{
    private readonly IHybridCacheSerializer<T> _serializer;
    private readonly ILogger _logger;
    private readonly string _application;

    /// <summary>Joiners share the bytes, read-only; each deserializes its own instance in <see cref="TryRead"/>.</summary>
    public bool JoinersNeedCopy => false;

    public SerializerForm(IHybridCacheSerializer<T> serializer, ILogger logger, string application)
    {
        _serializer = serializer;
        _logger = logger;
        _application = application;
    }

    /// <summary>Serializes; a serializer's exception reaches the caller, as in Microsoft's HybridCache.</summary>
    public ReadOnlyMemory<byte> ToStored(T value)
    {
        var writer = new ArrayBufferWriter<byte>();
        _serializer.Serialize(value, writer);
        return writer.WrittenMemory;
    }

    public bool TryRead(ReadOnlyMemory<byte> stored, out T value)
    {
        try
        {
            value = _serializer.Deserialize(new ReadOnlySequence<byte>(stored));
            return true;
        }
        catch (Exception ex)
        {
            Log.DeserializationFailed(_logger, _application, _serializer.GetType().Name, ex);
            value = default!;
            return false;
        }
    }
}
