using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace TenantCache.Internal;

/// <summary>
/// Values to payload bytes and back. <c>byte[]</c>, <c>ReadOnlyMemory&lt;byte&gt;</c>,
/// <c>ReadOnlySequence&lt;byte&gt;</c> (written segment by segment, read back as one segment over
/// the stored bytes) and <c>string</c> bypass the serializer; <see langword="null"/> is stored as such, so a stored null
/// is a hit; everything else goes through the <see cref="ICacheSerializer"/>.
/// </summary>
internal static class PayloadCodec
{
    public static PayloadKind Encode<T>(T value, ICacheSerializer serializer, PooledBufferWriter destination)
    {
        if (value is null)
        {
            return PayloadKind.Null;
        }

        if (typeof(T) == typeof(byte[]))
        {
            destination.Write(Unsafe.As<T, byte[]>(ref value));
            return PayloadKind.Bytes;
        }

        if (typeof(T) == typeof(ReadOnlyMemory<byte>))
        {
            destination.Write(Unsafe.As<T, ReadOnlyMemory<byte>>(ref value).Span);
            return PayloadKind.Bytes;
        }

        if (typeof(T) == typeof(ReadOnlySequence<byte>))
        {
            foreach (var segment in Unsafe.As<T, ReadOnlySequence<byte>>(ref value))
            {
                destination.Write(segment.Span);
            }

            return PayloadKind.Bytes;
        }

        if (typeof(T) == typeof(string))
        {
            var text = Unsafe.As<T, string>(ref value);
            if (!IsWellFormed(text))
            {
                // UTF-8 would replace a lone surrogate; keep the exact UTF-16 code units instead.
                destination.Write(MemoryMarshal.AsBytes(text.AsSpan()));
                return BitConverter.IsLittleEndian ? PayloadKind.Utf16String : throw new PlatformNotSupportedException();
            }

            var span = destination.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
            destination.Advance(Encoding.UTF8.GetBytes(text, span));
            return PayloadKind.Utf8String;
        }

        serializer.Serialize(value, destination);
        return PayloadKind.Serialized;
    }

    public static bool TryDecode<T>(in EnvelopeView view, ICacheSerializer serializer, out T value, out RejectCause cause) =>
        TryDecode(view.Kind, view.Payload, serializer, out value, out cause);

    /// <summary>Decodes a payload of <paramref name="kind"/>; <c>byte[]</c> and serialized values are new instances.</summary>
    public static bool TryDecode<T>(PayloadKind kind, ReadOnlyMemory<byte> payload, ICacheSerializer serializer, out T value, out RejectCause cause)
    {
        value = default!;
        cause = RejectCause.TypeMismatch;
        switch (kind)
        {
            case PayloadKind.Null:
                // A stored null is a hit for any type that can be null.
                return default(T) is null && payload.IsEmpty;

            case PayloadKind.Bytes when typeof(T) == typeof(byte[]):
                var copy = payload.ToArray();
                value = Unsafe.As<byte[], T>(ref copy);
                return true;

            case PayloadKind.Bytes when typeof(T) == typeof(ReadOnlyMemory<byte>):
                value = Unsafe.As<ReadOnlyMemory<byte>, T>(ref payload);
                return true;

            case PayloadKind.Bytes when typeof(T) == typeof(ReadOnlySequence<byte>):
                var sequence = new ReadOnlySequence<byte>(payload);
                value = Unsafe.As<ReadOnlySequence<byte>, T>(ref sequence);
                return true;

            case PayloadKind.Utf8String when typeof(T) == typeof(string):
                var text = Encoding.UTF8.GetString(payload.Span);
                value = Unsafe.As<string, T>(ref text);
                return true;

            case PayloadKind.Utf16String when typeof(T) == typeof(string) && payload.Length % 2 == 0:
                var units = MemoryMarshal.Cast<byte, char>(payload.Span).ToString();
                value = Unsafe.As<string, T>(ref units);
                return true;

            case PayloadKind.Serialized when !IsRaw(typeof(T)):
                try
                {
                    value = serializer.Deserialize<T>(payload.Span);
                    if (value is null && default(T) is not null)
                    {
                        return false;
                    }

                    return true;
                }
                catch (Exception)
                {
                    cause = RejectCause.DeserializationFailed;
                    value = default!;
                    return false;
                }

            default:
                return false;
        }
    }

    private static bool IsRaw(Type type) =>
        type == typeof(byte[]) || type == typeof(ReadOnlyMemory<byte>) || type == typeof(ReadOnlySequence<byte>) || type == typeof(string);

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsSurrogate(c))
            {
                continue;
            }

            if (!char.IsHighSurrogate(c) || i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
            {
                return false;
            }

            i++;
        }

        return true;
    }
}
