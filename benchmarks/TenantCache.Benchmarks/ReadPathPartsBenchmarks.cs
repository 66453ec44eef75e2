using BenchmarkDotNet.Attributes;
using TenantCache.Internal;

namespace TenantCache.Benchmarks;

/// <summary>
/// The CPU parts of one read hit over the in-process store, one by one, to find where
/// <see cref="EngineReadBenchmarks"/>' microseconds go (issue 10: the engine's CPU per hit against a
/// raw <c>mg</c> at 64 callers on a 2-core machine).
/// </summary>
[MemoryDiagnoser]
public class ReadPathPartsBenchmarks
{
    private readonly ScopePath _path = ScopePath.ForApplication("bench").Child("lisboa");
    private readonly byte[] _digest = new byte[32];
    private string _canonical = null!;

    [GlobalSetup(Targets = [nameof(KeyOf), nameof(Digest), nameof(Deadline), nameof(Parse), nameof(Metric)])]
    public void Setup() => _canonical = _path.CanonicalDataKey("/info");

    [Benchmark(Description = "canonical key + bound")]
    public string KeyOf() => KeyEncoder.Bound(_path.CanonicalDataKey("/info"));

    [Benchmark(Description = "identity digest (SHA-256)")]
    public byte[] Digest()
    {
        Envelope.IdentityDigest(_canonical, _digest);
        return _digest;
    }

    private readonly DeadlinePool _deadlines = new(TimeProvider.System);
    private readonly TokenTable _tokens = new(TimeProvider.System, TimeSpan.FromSeconds(1), 100);
    private readonly byte[] _envelope = BuildEnvelope();
    private readonly SystemTextJsonCacheSerializer _serializer = new();

    [Benchmark(Description = "deadline rent + return")]
    public void Deadline() => _deadlines.Return(_deadlines.Rent(TimeSpan.FromSeconds(1), default));

    [Benchmark(Description = "token table: 2 known tokens")]
    public ulong Tokens()
    {
        var start = _tokens.Begin();
        _tokens.Classify(_path.VersionKeys[0], start, out var a, out _);
        _tokens.Classify(_path.VersionKeys[1], start, out var b, out _);
        return a ^ b;
    }

    [Benchmark(Description = "envelope parse + identity + decode string")]
    public string Parse()
    {
        if (Envelope.TryParse(_envelope, out var view, out _) && view.IdentityMatches(_canonical)
            && PayloadCodec.TryDecode<string>(view, _serializer, out var value, out _))
        {
            return value;
        }

        throw new InvalidOperationException("The envelope did not parse.");
    }

    [Benchmark(Description = "metrics: hit counter")]
    public void Metric() => CacheMetricsProbe.Hit();

    [GlobalSetup(Target = nameof(Tokens))]
    public void SetupTokens()
    {
        Setup();
        var flags = TokenRecord.Flags(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        _tokens.Observe(_path.VersionKeys[0], 1, flags, _tokens.Begin());
        _tokens.Observe(_path.VersionKeys[1], 2, flags, _tokens.Begin());
    }

    private static byte[] BuildEnvelope()
    {
        var path = ScopePath.ForApplication("bench").Child("lisboa");
        var canonical = path.CanonicalDataKey("/info");
        var payload = System.Text.Encoding.UTF8.GetBytes("2 days");
        var header = Envelope.HeaderLength(2, []);
        var bytes = new byte[header + payload.Length];
        Envelope.WriteHeader(bytes.AsSpan(0, header), PayloadKind.Utf8String, canonical, 0, 0, [1UL, 2UL], [], [], payload.Length);
        payload.CopyTo(bytes, header);
        return bytes;
    }
}

/// <summary>Calls the engine's hit counter the way a read does.</summary>
internal static class CacheMetricsProbe
{
    public static void Hit() => CacheMetrics.Hit("bench");
}
