using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using TenantCache.Internal;

namespace TenantCache.Tests.Keys;

/// <summary>The envelope frame and the payload codec: exact round trips, and damage is refused, never thrown.</summary>
public sealed class EnvelopeTests
{
    public sealed record EnvelopeSpec(
        byte RawKind, string Identity, uint Sliding, long Deadline, ulong[] LevelTokens, string[] TagKeys, ulong[] TagTokens, byte[] Payload)
    {
        internal PayloadKind Kind => (PayloadKind)RawKind;

        public override string ToString() =>
            $"{Kind} levels={LevelTokens.Length} tags={TagKeys.Length} sliding={Sliding} deadline={Deadline} payload={Payload.Length}B identity={Keys.Identity.Show(Identity)}";
    }

    /// <summary>What a parsed envelope says, in comparable form.</summary>
    private sealed record Parsed(PayloadKind Kind, uint Sliding, long Deadline, string Levels, string Tags, string Payload);

    public static class Arbitraries
    {
        public static Arbitrary<EnvelopeSpec> Specs() => SpecGen.ToArbitrary();
    }

    private static Gen<ulong> Token => Gen.Frequency(
        (1, Gen.Elements(0UL, 1UL, ulong.MaxValue, 0x0101010101010101UL)),
        (3, Gen.Choose(0, int.MaxValue).SelectMany(hi => Gen.Choose(0, int.MaxValue).Select(lo => ((ulong)hi << 33) ^ (ulong)lo))));

    private static Gen<string> TagKey =>
        from app in Hostile.Name
        from tag in Hostile.Name
        select ScopePath.ForApplication(app).TagVersionKey(tag);

    private static Gen<EnvelopeSpec> SpecGen =>
        from kind in Gen.Elements(Enum.GetValues<PayloadKind>())
        from id in Hostile.Identity
        from sliding in Gen.Elements(0u, 1u, 300u, uint.MaxValue)
        from deadline in Gen.Elements(0L, 1L, 1_764_000_000_000L, Envelope.MaxDeadlineUnixMs, Envelope.MinDeadlineUnixMs) // the extremes a DateTimeOffset holds; beyond them is refused
        from levels in Gen.Frequency((6, Gen.Choose(1, 5)), (1, Gen.Choose(6, Envelope.MaxLevels)))
        from levelTokens in Gen.ArrayOf(Token, levels)
        from tags in Gen.Frequency((3, Gen.Choose(0, 3)), (1, Gen.Choose(4, Envelope.MaxTags)))
        from tagKeys in Gen.ArrayOf(TagKey, tags)
        from tagTokens in Gen.ArrayOf(Token, tags)
        from payload in Gen.Frequency((3, Gen.Choose(0, 64)), (1, Gen.Choose(65, 5000))).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n))
        select new EnvelopeSpec((byte)kind, KeyEncoder.Bound(ScopePath.ForApplication(id.Application).CanonicalDataKey(id.Key)) + id.Path.Length, sliding, deadline, levelTokens, tagKeys, tagTokens, payload);

    private static byte[] Write(EnvelopeSpec spec)
    {
        var header = Envelope.HeaderLength(spec.LevelTokens.Length, spec.TagKeys);
        var bytes = new byte[header + spec.Payload.Length];
        spec.Payload.CopyTo(bytes, header);
        Envelope.WriteHeader(bytes, spec.Kind, spec.Identity, spec.Sliding, spec.Deadline, spec.LevelTokens, spec.TagKeys, spec.TagTokens, spec.Payload.Length);
        return bytes;
    }

    private static Parsed Describe(EnvelopeView view)
    {
        var keys = new string[view.Tags];
        var tokens = new ulong[view.Tags];
        view.ReadTags(keys, tokens);
        var levels = string.Join(",", Enumerable.Range(0, view.Levels).Select(view.LevelToken));
        var tags = string.Join(",", keys.Zip(tokens, (k, t) => k + "=" + t));
        return new Parsed(view.Kind, view.SlidingCode, view.DeadlineUnixMs, levels, tags, Convert.ToHexString(view.Payload.Span));
    }

    private static Parsed Expected(EnvelopeSpec spec) => new(
        spec.Kind,
        spec.Sliding,
        spec.Deadline,
        string.Join(",", spec.LevelTokens),
        string.Join(",", spec.TagKeys.Zip(spec.TagTokens, (k, t) => k + "=" + t)),
        Convert.ToHexString(spec.Payload));

    /// <summary>A damaged envelope must be refused, or parse to something that visibly differs (never throw).</summary>
    private static void AssertRefusedOrDetected(byte[] damaged, EnvelopeSpec spec, string what)
    {
        bool parsed;
        EnvelopeView view;
        try
        {
            parsed = Envelope.TryParse(damaged, out view, out _);
        }
        catch (Exception ex)
        {
            Assert.Fail($"TryParse threw on {what} of {spec}: {ex}");
            return;
        }

        if (!parsed)
        {
            return;
        }

        Assert.False(SameAs(view, spec), $"{what} of {spec} parsed as the original envelope");
    }

    /// <summary>Whether a parsed envelope says exactly what the spec wrote (cheap checks first).</summary>
    private static bool SameAs(EnvelopeView view, EnvelopeSpec spec)
    {
        if (view.Kind != spec.Kind || view.Levels != spec.LevelTokens.Length || view.Tags != spec.TagKeys.Length
            || view.SlidingCode != spec.Sliding || view.DeadlineUnixMs != spec.Deadline
            || !view.Payload.Span.SequenceEqual(spec.Payload))
        {
            return false;
        }

        for (var level = 0; level < view.Levels; level++)
        {
            if (view.LevelToken(level) != spec.LevelTokens[level])
            {
                return false;
            }
        }

        var keys = new string[view.Tags];
        var tokens = new ulong[view.Tags];
        view.ReadTags(keys, tokens);
        return keys.SequenceEqual(spec.TagKeys, StringComparer.Ordinal) && tokens.SequenceEqual(spec.TagTokens)
            && view.IdentityMatches(spec.Identity);
    }

    [Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 300)]
    public void Header_and_payload_round_trip(EnvelopeSpec spec)
    {
        var bytes = Write(spec);
        Assert.True(Envelope.TryParse(bytes, out var view, out _));
        Assert.Equal(Expected(spec), Describe(view));
        Assert.Equal(spec.LevelTokens.Length, view.Levels);
        Assert.Equal(spec.TagKeys.Length, view.Tags);
        Assert.True(SameAs(view, spec));
        Assert.True(view.IdentityMatches(spec.Identity));
        Assert.False(view.IdentityMatches(spec.Identity + "x"));
        Assert.False(view.IdentityMatches(spec.Identity[..^1]));
    }

    [Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 100)]
    public void Every_truncation_and_every_extension_is_refused(EnvelopeSpec spec)
    {
        var bytes = Write(spec);
        for (var length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes.AsMemory(0, length);
            Assert.False(Envelope.TryParse(prefix, out _, out _), $"a {length}-byte prefix of {spec} parsed");
        }

        var longer = new byte[bytes.Length + 1];
        bytes.CopyTo(longer, 0);
        Assert.False(Envelope.TryParse(longer, out _, out _), $"{spec} with a byte appended parsed");
    }

    [Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 60)]
    public void Every_single_byte_change_in_the_header_is_refused_or_detected(EnvelopeSpec spec)
    {
        var bytes = Write(spec);
        var header = bytes.Length - spec.Payload.Length;
        byte[] masks = [0x01, 0x02, 0x10, 0x80, 0xFF];
        for (var position = 0; position < header; position++)
        {
            foreach (var mask in masks)
            {
                var damaged = (byte[])bytes.Clone();
                damaged[position] ^= mask;
                AssertRefusedOrDetected(damaged, spec, $"byte {position} ^ 0x{mask:X2}");
            }
        }
    }

    [Fact]
    public void Every_value_of_every_length_field_is_refused_or_detected()
    {
        EnvelopeSpec[] specs =
        [
            new((byte)PayloadKind.Bytes, "app:d:t:k", 0, 0, [7], [], [], [1, 2, 3]),
            new((byte)PayloadKind.Utf8String, "app:d:t/s:k", 60, 1_764_000_000_000, [1, 2, 3], ["app:t:a", "app:t:bb"], [9, 10], Encoding.UTF8.GetBytes("hello")),
            new((byte)PayloadKind.Serialized, "app:d::k", 0, 0, [ulong.MaxValue, 0], [new string('t', 250)], [5], new byte[300]),
            new((byte)PayloadKind.Null, "app:d:t:k", 0, 0, [1, 2], ["app:t:x"], [3], []),
        ];
        foreach (var spec in specs)
        {
            var bytes = Write(spec);
            var lengthFields = new List<int> { 3, 4, 5, 6, 7 }; // kind, level count, tag count, reserved
            var offset = Envelope.FixedHeaderLength + (spec.LevelTokens.Length * 8);
            foreach (var key in spec.TagKeys)
            {
                lengthFields.Add(offset + 8);
                offset += 9 + key.Length;
            }

            lengthFields.AddRange(Enumerable.Range(offset, 4)); // payload length
            foreach (var position in lengthFields)
            {
                for (var value = 0; value < 256; value++)
                {
                    if (value == bytes[position])
                    {
                        continue;
                    }

                    var damaged = (byte[])bytes.Clone();
                    damaged[position] = (byte)value;
                    AssertRefusedOrDetected(damaged, spec, $"byte {position} = {value}");
                }
            }
        }
    }

    [Fact]
    public void Foreign_values_are_refused_with_the_right_cause()
    {
        Assert.False(Envelope.TryParse(ReadOnlyMemory<byte>.Empty, out _, out var cause));
        Assert.Equal(RejectCause.NotAnEnvelope, cause);
        Assert.False(Envelope.TryParse(Encoding.ASCII.GetBytes("hello world, not ours"), out _, out cause));
        Assert.Equal(RejectCause.NotAnEnvelope, cause);

        var bytes = Write(new((byte)PayloadKind.Bytes, "app:d:t:k", 0, 0, [1], [], [], [1]));
        bytes[2] = 3;
        Assert.False(Envelope.TryParse(bytes, out _, out cause));
        Assert.Equal(RejectCause.UnknownFormatVersion, cause);
        bytes[2] = Envelope.FormatVersion;
        bytes[4] = 0;
        Assert.False(Envelope.TryParse(bytes, out _, out cause));
        Assert.Equal(RejectCause.Corrupt, cause);
    }

    // ---- PayloadCodec ----

    public sealed record Forecast(string City, int Celsius, string[] Words);

    private static readonly SystemTextJsonCacheSerializer Json = new();

    private static byte[] Encode<T>(T value, out PayloadKind kind)
    {
        using var payload = new PooledBufferWriter();
        kind = PayloadCodec.Encode(value, Json, payload);
        var spec = new EnvelopeSpec((byte)kind, "app:d:t:k", 0, 0, [1, 2], [], [], payload.WrittenSpan.ToArray());
        return Write(spec);
    }

    private static bool TryDecode<T>(byte[] envelope, out T value, out RejectCause cause)
    {
        Assert.True(Envelope.TryParse(envelope, out var view, out _));
        return PayloadCodec.TryDecode(view, Json, out value, out cause);
    }

    private static T RoundTrip<T>(T value, PayloadKind expectedKind)
    {
        var envelope = Encode(value, out var kind);
        Assert.Equal(expectedKind, kind);
        Assert.True(TryDecode<T>(envelope, out var decoded, out var cause), $"decode failed: {cause}");
        return decoded;
    }

    [Property(Arbitrary = [typeof(HostileArbitraries)], MaxTest = 300)]
    public void Strings_round_trip_exactly_even_with_lone_surrogates(string[] texts)
    {
        foreach (var text in texts.Concat(Hostile.Atoms))
        {
            var wellFormed = !text.Any(char.IsSurrogate) || Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text)) == text;
            var decoded = RoundTrip(text, wellFormed ? PayloadKind.Utf8String : PayloadKind.Utf16String);
            Assert.True(string.Equals(text, decoded, StringComparison.Ordinal), $"{Identity.Show(text)} came back as {Identity.Show(decoded)}");
        }
    }

    [Fact]
    public void Lone_surrogates_and_replacement_chars_stay_distinct()
    {
        string[] texts = ["\uD800", "\uDC00", "\uFFFD", "a\uD800b", "\uDC00\uD800", "\uD83D\uDE00", "\uD83D", "", "e\u0301", "\u00E9"];
        foreach (var text in texts)
        {
            Assert.Equal(text, RoundTrip(text, text.Length > 0 && text.Any(char.IsSurrogate) && text != "\uD83D\uDE00" ? PayloadKind.Utf16String : PayloadKind.Utf8String), StringComparer.Ordinal);
        }
    }

    [Fact]
    public void Bytes_memory_null_and_records_round_trip()
    {
        byte[] raw = [0, 1, 2, 254, 255];
        Assert.Equal(raw, RoundTrip(raw, PayloadKind.Bytes));
        Assert.Equal(Array.Empty<byte>(), RoundTrip(Array.Empty<byte>(), PayloadKind.Bytes));
        Assert.Equal(raw, RoundTrip(new ReadOnlyMemory<byte>(raw), PayloadKind.Bytes).ToArray());
        Assert.Equal(raw, Decode<byte[]>(Encode(new ReadOnlyMemory<byte>(raw), out _)));
        Assert.Equal(raw, Decode<ReadOnlyMemory<byte>>(Encode(raw, out _)).ToArray());

        Assert.Null(RoundTrip<string?>(null, PayloadKind.Null));
        Assert.Null(RoundTrip<byte[]?>(null, PayloadKind.Null));
        Assert.Null(RoundTrip<Forecast?>(null, PayloadKind.Null));
        Assert.Null(RoundTrip<int?>(null, PayloadKind.Null));

        var forecast = RoundTrip(new Forecast("Lisb\u00F4a \uD83D\uDE00", -3, ["sun", "", "\u00E9"]), PayloadKind.Serialized);
        Assert.Equal("Lisb\u00F4a \uD83D\uDE00", forecast.City);
        Assert.Equal(-3, forecast.Celsius);
        Assert.Equal(["sun", "", "\u00E9"], forecast.Words);
        Assert.Equal(42, RoundTrip(42, PayloadKind.Serialized));
        Assert.Equal(0, RoundTrip(0, PayloadKind.Serialized));
    }

    private static T Decode<T>(byte[] envelope)
    {
        Assert.True(TryDecode<T>(envelope, out var value, out var cause), $"decode failed: {cause}");
        return value;
    }

    [Fact]
    public void Type_mismatches_are_refused_not_thrown()
    {
        var text = Encode("text", out _);
        var lone = Encode("\uD800", out _);
        var bytes = Encode(new byte[] { 1, 2 }, out _);
        var record = Encode(new Forecast("x", 1, []), out _);
        var nothing = Encode<string?>(null, out _);

        AssertMismatch<byte[]>(text, RejectCause.TypeMismatch);
        AssertMismatch<ReadOnlyMemory<byte>>(text, RejectCause.TypeMismatch);
        AssertMismatch<Forecast>(text, RejectCause.TypeMismatch);
        AssertMismatch<byte[]>(lone, RejectCause.TypeMismatch);
        AssertMismatch<int>(lone, RejectCause.TypeMismatch);
        AssertMismatch<string>(bytes, RejectCause.TypeMismatch);
        AssertMismatch<Forecast>(bytes, RejectCause.TypeMismatch);
        AssertMismatch<string>(record, RejectCause.TypeMismatch);
        AssertMismatch<byte[]>(record, RejectCause.TypeMismatch);
        AssertMismatch<ReadOnlyMemory<byte>>(record, RejectCause.TypeMismatch);
        AssertMismatch<int>(record, RejectCause.DeserializationFailed);
        AssertMismatch<int[]>(record, RejectCause.DeserializationFailed);
        AssertMismatch<int>(nothing, RejectCause.TypeMismatch);
        AssertMismatch<ReadOnlyMemory<byte>>(nothing, RejectCause.TypeMismatch);
        AssertMismatch<Forecast>(Encode(12, out _), RejectCause.DeserializationFailed);
    }

    private static void AssertMismatch<T>(byte[] envelope, RejectCause expected)
    {
        Assert.False(TryDecode<T>(envelope, out var value, out var cause), $"decoded as {typeof(T).Name}: {value}");
        Assert.Equal(expected, cause);
    }
}
