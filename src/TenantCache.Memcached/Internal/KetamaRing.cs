using System.Security.Cryptography;
using System.Text;

namespace TenantCache.Memcached.Internal;

/// <summary>
/// Key → server placement identical to libmemcached's <c>MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED</c>
/// (what PHP's memcached extension and pylibmc call libketama-compatible).
/// </summary>
internal sealed class KetamaRing
{
    private const int PointsPerServer = 160;
    private const int DefaultPort = 11211;

    private readonly uint[] _points;
    private readonly int[] _servers;
    private readonly int _serverCount;

    public KetamaRing(IReadOnlyList<ServerEndpoint> servers)
    {
        ArgumentNullException.ThrowIfNull(servers);
        if (servers.Count == 0)
        {
            throw new ArgumentException("At least one server is required.", nameof(servers));
        }

        _serverCount = servers.Count;
        long totalWeight = 0;
        foreach (var s in servers)
        {
            totalWeight += s.Weight;
        }

        var points = new List<(uint Value, int Server)>(servers.Count * PointsPerServer);
        Span<byte> digest = stackalloc byte[16];
        for (var index = 0; index < servers.Count; index++)
        {
            var server = servers[index];
            var hashes = PointCount(server.Weight, totalWeight, servers.Count) / 4;
            for (var i = 0; i < hashes; i++)
            {
                var label = server.Port == DefaultPort ? $"{server.Host}-{i}" : $"{server.Host}:{server.Port}-{i}";
                Md5(label, digest);
                for (var h = 0; h < 4; h++)
                {
                    var value = (uint)(digest[4 * h] | (digest[(4 * h) + 1] << 8) | (digest[(4 * h) + 2] << 16) | (digest[(4 * h) + 3] << 24));
                    points.Add((value, index));
                }
            }
        }

        points.Sort();
        _points = points.Select(p => p.Value).ToArray();
        _servers = points.Select(p => p.Server).ToArray();
    }

    /// <summary>The index, in the configured list, of the server that owns <paramref name="key"/>.</summary>
    public int Locate(string key)
    {
        if (_serverCount == 1 || _points.Length == 0)
        {
            return 0;
        }

        Span<byte> digest = stackalloc byte[16];
        Md5(key, digest);
        var hash = (uint)(digest[0] | (digest[1] << 8) | (digest[2] << 16) | (digest[3] << 24));
        var at = Array.BinarySearch(_points, hash);
        if (at < 0)
        {
            at = ~at;
        }
        else
        {
            while (at > 0 && _points[at - 1] == hash)
            {
                at--;
            }
        }

        return at == _points.Length ? _servers[0] : _servers[at];
    }

    /// <summary>libmemcached's arithmetic, float rounding included.</summary>
    internal static int PointCount(int weight, long totalWeight, int serverCount)
    {
        var pct = weight / (float)totalWeight;
        var scaled = (double)(pct * PointsPerServer / 4 * serverCount) + 0.0000000001;
        return (int)Math.Floor(scaled) * 4;
    }

    private static void Md5(string text, Span<byte> digest)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        var rented = length > 512 ? System.Buffers.ArrayPool<byte>.Shared.Rent(length) : null;
        var bytes = rented ?? stackalloc byte[512];
        var written = Encoding.UTF8.GetBytes(text, bytes);
#pragma warning disable CA5351 // MD5 is the placement function libmemcached defines, not a security measure.
        MD5.HashData(bytes[..written], digest);
#pragma warning restore CA5351
        if (rented is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
