using BenchmarkDotNet.Attributes;
using TenantCache.Internal;

namespace TenantCache.Benchmarks;

/// <summary>Data-key construction, against a plain concatenation of the raw parts (no escaping, no bound).</summary>
[MemoryDiagnoser]
[MedianColumn]
public class KeyEncoderBenchmarks
{
    private readonly ScopePath _path = ScopePath.ForApplication("weather").Child("lisboa");
    private readonly string _long = new('x', 400);

    [Benchmark(Baseline = true, Description = "string.Concat (unsafe, no escaping)")]
    public string Concat() => string.Concat("weather:d:lisboa", ":", "report-2026");

    [Benchmark(Description = "safe key")]
    public string SafeKey() => KeyEncoder.Bound(_path.CanonicalDataKey("report-2026"));

    [Benchmark(Description = "key needing escapes")]
    public string EscapedKey() => KeyEncoder.Bound(_path.CanonicalDataKey("/info?city=Lisboa&day=2"));

    [Benchmark(Description = "400-char key (SHA-256 tail)")]
    public string LongKey() => KeyEncoder.Bound(_path.CanonicalDataKey(_long));
}
