using System.Numerics;

namespace TenantCache.Benchmarks.Herd;

/// <summary>
/// Read latencies in microseconds, counted in buckets of at most 1/32 of their value (exact below
/// 64 µs), so that a worker sends a few hundred numbers, not every sample, and the coordinator merges
/// the fleet's by adding counts. Serialized as the sparse map bucket → count.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int Exact = 64;
    private const int SubBits = 5;

    public SortedDictionary<int, long> Buckets { get; init; } = [];

    public long Count => Buckets.Values.Sum();

    public void Add(double microseconds)
    {
        var bucket = Bucket((long)Math.Max(0, microseconds));
        Buckets[bucket] = Buckets.GetValueOrDefault(bucket) + 1;
    }

    public void Add(LatencyHistogram other)
    {
        foreach (var (bucket, count) in other.Buckets)
        {
            Buckets[bucket] = Buckets.GetValueOrDefault(bucket) + count;
        }
    }

    /// <summary>The q-quantile (nearest rank) in microseconds, the middle of its bucket; NaN when empty.</summary>
    public double Percentile(double q)
    {
        var count = Count;
        if (count == 0)
        {
            return double.NaN;
        }

        var rank = Math.Clamp((long)Math.Ceiling(q * count), 1, count);
        long seen = 0;
        foreach (var (bucket, n) in Buckets)
        {
            seen += n;
            if (seen >= rank)
            {
                return Middle(bucket);
            }
        }

        return Middle(Buckets.Keys.Last());
    }

    public static int Bucket(long microseconds)
    {
        if (microseconds < Exact)
        {
            return (int)microseconds;
        }

        var exponent = 63 - BitOperations.LeadingZeroCount((ulong)microseconds);
        var sub = (int)((microseconds >> (exponent - SubBits)) & ((1 << SubBits) - 1));
        return Exact + ((exponent - 6) << SubBits) + sub;
    }

    public static double Middle(int bucket)
    {
        if (bucket < Exact)
        {
            return bucket;
        }

        var exponent = ((bucket - Exact) >> SubBits) + 6;
        var sub = (bucket - Exact) & ((1 << SubBits) - 1);
        var width = 1L << (exponent - SubBits);
        return (((1L << SubBits) + sub) * width) + (width / 2.0);
    }
}
