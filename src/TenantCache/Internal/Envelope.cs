using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace TenantCache.Internal;

/// <summary>What a stored entry's payload holds.</summary>
internal enum PayloadKind : byte
{
    Null = 0,
    Bytes = 1,
    Utf8String = 2,
    Serialized = 3,

    /// <summary>A string that is not well-formed UTF-16 (a lone surrogate), kept exactly as UTF-16LE.</summary>
    Utf16String = 4,
}

/// <summary>Why a stored value was not accepted as an envelope of ours.</summary>
internal enum RejectCause
{
    NotAnEnvelope = 0,
    UnknownFormatVersion = 1,
    Corrupt = 2,
    IdentityMismatch = 3,
    TypeMismatch = 4,
    DeserializationFailed = 5,

    /// <summary>The absolute deadline is outside what a <see cref="DateTimeOffset"/> can hold: never written by the engine.</summary>
    DeadlineOutOfRange = 6,
}

/// <summary>
/// The binary frame around every cached value: the identity it was written for, the version tokens
/// of every scope level and tag it was written under, its sliding expiry, and the payload.
/// </summary>
/// <remarks>
/// <para>The identity digest covers the canonical key and, for a serialized payload, the type it was
/// written as (<see cref="TypeIdentity{T}"/>): a value read as another type is a miss, never an object
/// the serializer filled with defaults. Bytes, strings and null are typed by the payload kind alone.</para>
/// Layout (little-endian): <c>'T' 'C'</c>, format version (2), payload kind, level count, tag count,
/// two reserved zero bytes; SHA-256 of the canonical identity (32); sliding window code (u32, 0 = none,
/// see <see cref="SlidingCode"/>); absolute deadline in Unix milliseconds (i64, 0 = none); one u64
/// token per level; per tag a u64 token, a key length (u8) and the tag's version key (ASCII); payload
/// length (i32) and payload. Every length is checked on read; anything that does not add up exactly
/// is rejected, and so is a deadline no <see cref="DateTimeOffset"/> can hold. Version 1 differs only in the sliding field, which held whole seconds; it is still read.
/// </remarks>
internal static class Envelope
{
    public const byte FormatVersion = 2;

    /// <summary>The previous format: the same layout with the sliding window in whole seconds.</summary>
    public const byte SecondsSlidingFormatVersion = 1;
    public const int FixedHeaderLength = 52;
    public const int MaxLevels = 64;
    public const int MaxTags = 32;
    /// <summary>The latest deadline an envelope may carry: <see cref="DateTimeOffset.MaxValue"/>, what the engine writes for "never".</summary>
    public const long MaxDeadlineUnixMs = 253_402_300_799_999;

    /// <summary>The earliest deadline an envelope may carry: <see cref="DateTimeOffset.MinValue"/>.</summary>
    public const long MinDeadlineUnixMs = -62_135_596_800_000;
    private const int IdentityOffset = 8;
    private const int SlidingOffset = 40;
    private const int DeadlineOffset = 44;
    public static int HeaderLength(int levels, ReadOnlySpan<string> tagKeys)
    {
        var length = FixedHeaderLength + (levels * 8);
        foreach (var key in tagKeys)
        {
            length += 9 + key.Length;
        }

        return length + 4;
    }

    /// <summary>Writes the header before a payload that is already in place after it.</summary>
    public static void WriteHeader(
        Span<byte> destination,
        PayloadKind kind,
        string canonicalIdentity,
        uint slidingCode,
        long deadlineUnixMs,
        ReadOnlySpan<ulong> levelTokens,
        ReadOnlySpan<string> tagKeys,
        ReadOnlySpan<ulong> tagTokens,
        int payloadLength,
        ReadOnlySpan<byte> typeIdentity = default)
    {
        destination[0] = (byte)'T';
        destination[1] = (byte)'C';
        destination[2] = FormatVersion;
        destination[3] = (byte)kind;
        destination[4] = checked((byte)levelTokens.Length);
        destination[5] = checked((byte)tagKeys.Length);
        destination[6] = 0;
        destination[7] = 0;
        IdentityDigest(canonicalIdentity, typeIdentity, destination.Slice(IdentityOffset, SHA256.HashSizeInBytes));
        BinaryPrimitives.WriteUInt32LittleEndian(destination[SlidingOffset..], slidingCode);
        BinaryPrimitives.WriteInt64LittleEndian(destination[DeadlineOffset..], deadlineUnixMs);
        var offset = FixedHeaderLength;
        foreach (var token in levelTokens)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(destination[offset..], token);
            offset += 8;
        }

        for (var i = 0; i < tagKeys.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(destination[offset..], tagTokens[i]);
            destination[offset + 8] = checked((byte)tagKeys[i].Length);
            offset += 9 + Encoding.ASCII.GetBytes(tagKeys[i], destination[(offset + 9)..]);
        }

        BinaryPrimitives.WriteInt32LittleEndian(destination[offset..], payloadLength);
    }

    public static void IdentityDigest(string canonicalIdentity, Span<byte> destination) =>
        IdentityDigest(canonicalIdentity, default, destination);

    /// <summary>
    /// SHA-256 of the canonical identity (ASCII, see KeyEncoder) followed by <paramref name="typeIdentity"/>
    /// (<see cref="TypeIdentity{T}.Suffix"/> for serialized payloads, empty for raw ones); small ones hash from the stack.
    /// </summary>
    public static void IdentityDigest(string canonicalIdentity, ReadOnlySpan<byte> typeIdentity, Span<byte> destination)
    {
        if (IdentityDigests.TryGet(canonicalIdentity, typeIdentity, destination))
        {
            return; // SHA-256 costs about a microsecond here: more than the rest of a hit together
        }

        ComputeIdentityDigest(canonicalIdentity, typeIdentity, destination);
        IdentityDigests.Add(canonicalIdentity, typeIdentity, destination);
    }

    private static void ComputeIdentityDigest(string canonicalIdentity, ReadOnlySpan<byte> typeIdentity, Span<byte> destination)
    {
        var length = canonicalIdentity.Length + typeIdentity.Length;
        var rented = length <= 512 ? null : new byte[length];
        var bytes = rented ?? stackalloc byte[length];
        Encoding.ASCII.GetBytes(canonicalIdentity, bytes);
        typeIdentity.CopyTo(bytes[canonicalIdentity.Length..]);
        SHA256.HashData(bytes, destination);
    }

    /// <summary>Parses and checks a stored value; never throws.</summary>
    public static bool TryParse(ReadOnlyMemory<byte> value, out EnvelopeView view, out RejectCause cause)
    {
        view = default;
        var span = value.Span;
        if (span.Length < 3 || span[0] != (byte)'T' || span[1] != (byte)'C')
        {
            cause = RejectCause.NotAnEnvelope;
            return false;
        }

        if (span[2] is not (FormatVersion or SecondsSlidingFormatVersion))
        {
            cause = RejectCause.UnknownFormatVersion;
            return false;
        }

        cause = RejectCause.Corrupt;
        if (span.Length < FixedHeaderLength + 4 || span[3] > (byte)PayloadKind.Utf16String
            || span[4] is 0 or > MaxLevels || span[5] > MaxTags || span[6] != 0 || span[7] != 0)
        {
            return false;
        }

        int levels = span[4], tags = span[5];
        var offset = FixedHeaderLength + (levels * 8);
        var tagsOffset = offset;
        for (var i = 0; i < tags; i++)
        {
            if (offset + 9 > span.Length)
            {
                return false;
            }

            int keyLength = span[offset + 8];
            if (keyLength == 0 || offset + 9 + keyLength > span.Length)
            {
                return false;
            }

            offset += 9 + keyLength;
        }

        if (offset + 4 > span.Length)
        {
            return false;
        }

        var payloadLength = BinaryPrimitives.ReadInt32LittleEndian(span[offset..]);
        if (payloadLength < 0 || payloadLength != span.Length - offset - 4)
        {
            return false;
        }

        // Checked here, before any code does arithmetic on it: the engine writes deadlines of
        // DateTimeOffset values only, and a sliding renewal turns (deadline - now) into a TimeSpan.
        var deadline = BinaryPrimitives.ReadInt64LittleEndian(span[DeadlineOffset..]);
        if (deadline is < MinDeadlineUnixMs or > MaxDeadlineUnixMs)
        {
            cause = RejectCause.DeadlineOutOfRange;
            return false;
        }

        view = new EnvelopeView(value, span[2], (PayloadKind)span[3], levels, tags, tagsOffset, offset + 4);
        return true;
    }
}

/// <summary>A parsed, length-checked envelope over the stored bytes.</summary>
internal readonly struct EnvelopeView
{
    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly int _tagsOffset;
    private readonly int _payloadOffset;

    public EnvelopeView(ReadOnlyMemory<byte> bytes, byte version, PayloadKind kind, int levels, int tags, int tagsOffset, int payloadOffset)
    {
        _bytes = bytes;
        Version = version;
        Kind = kind;
        Levels = levels;
        Tags = tags;
        _tagsOffset = tagsOffset;
        _payloadOffset = payloadOffset;
    }

    public byte Version { get; }

    public PayloadKind Kind { get; }

    public int Levels { get; }

    public int Tags { get; }

    /// <summary>The raw sliding field (see <see cref="Internal.SlidingCode"/>).</summary>
    public uint SlidingCode => BinaryPrimitives.ReadUInt32LittleEndian(_bytes.Span[40..]);

    /// <summary>The sliding window, or <see langword="null"/> when the entry does not slide.</summary>
    public TimeSpan? SlidingWindow => Internal.SlidingCode.Decode(SlidingCode, Version);

    public long DeadlineUnixMs => BinaryPrimitives.ReadInt64LittleEndian(_bytes.Span[44..]);

    public ReadOnlyMemory<byte> Payload => _bytes[_payloadOffset..];

    public ulong LevelToken(int level) =>
        BinaryPrimitives.ReadUInt64LittleEndian(_bytes.Span[(Envelope.FixedHeaderLength + (level * 8))..]);

    public bool IdentityMatches(string canonicalIdentity) => IdentityMatches(canonicalIdentity, default);

    /// <summary>Whether the envelope was written for <paramref name="canonicalIdentity"/> and, for a serialized payload, the type <paramref name="typeIdentity"/> names.</summary>
    public bool IdentityMatches(string canonicalIdentity, ReadOnlySpan<byte> typeIdentity)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        Envelope.IdentityDigest(canonicalIdentity, typeIdentity, digest);
        return digest.SequenceEqual(_bytes.Span.Slice(8, SHA256.HashSizeInBytes));
    }

    /// <summary>Reads every tag's version key and token, in order.</summary>
    public void ReadTags(Span<string> keys, Span<ulong> tokens)
    {
        var span = _bytes.Span;
        var offset = _tagsOffset;
        for (var i = 0; i < Tags; i++)
        {
            tokens[i] = BinaryPrimitives.ReadUInt64LittleEndian(span[offset..]);
            int length = span[offset + 8];
            keys[i] = Encoding.ASCII.GetString(span.Slice(offset + 9, length));
            offset += 9 + length;
        }
    }
}
