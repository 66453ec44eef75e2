using System.Text;
using BenchmarkDotNet.Attributes;
using TenantCache.Memcached.Protocol;

namespace TenantCache.Benchmarks;

/// <summary>The meta reply parser, against the cost of merely finding the frame's line ends.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class ProtocolParserBenchmarks
{
    private readonly byte[] _hit = Encoding.ASCII.GetBytes("VA 64 O3 c12345 t-1\r\n" + new string('x', 64) + "\r\n");
    private readonly byte[] _batch = Encoding.ASCII.GetBytes("VA 8 O1\r\n12345678\r\nVA 8 O2\r\n12345678\r\nVA 64 O3\r\n" + new string('x', 64) + "\r\nMN\r\n");

    [Benchmark(Baseline = true, Description = "scan line ends (floor)")]
    public int ScanLines()
    {
        var span = _batch.AsSpan();
        var count = 0;
        int i;
        while ((i = span.IndexOf((byte)'\n')) >= 0)
        {
            count++;
            span = span[(i + 1)..];
        }

        return count;
    }

    [Benchmark(Description = "parse one VA hit")]
    public int ParseHit()
    {
        var reader = new MetaReplyReader(_hit);
        reader.TryRead(out _);
        return reader.Consumed;
    }

    [Benchmark(Description = "parse a 3-reply batch + MN")]
    public int ParseBatch()
    {
        var reader = new MetaReplyReader(_batch);
        while (reader.TryRead(out _) == MetaReadStatus.Complete)
        {
        }

        return reader.Consumed;
    }
}
