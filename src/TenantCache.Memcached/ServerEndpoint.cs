using System.Globalization;

namespace TenantCache.Memcached;

/// <summary>
/// One memcached server: host as configured (never resolved for placement), port and ketama weight.
/// Text form: <c>host:port[:weight]</c>, with IPv6 hosts in brackets (<c>[::1]:11211</c>).
/// </summary>
public sealed class ServerEndpoint : IEquatable<ServerEndpoint>
{
    /// <summary>memcached's default port.</summary>
    public const int DefaultPort = 11211;

    /// <summary>Creates an endpoint.</summary>
    /// <param name="host">Host name or IP address, spelled as every client of the cluster spells it.</param>
    /// <param name="port">TCP port, 1..65535.</param>
    /// <param name="weight">Ketama weight, at least 1.</param>
    public ServerEndpoint(string host, int port = DefaultPort, int weight = 1)
    {
        if (string.IsNullOrWhiteSpace(host) || host.Any(c => c is <= ' ' or ',' or '/' or (>= '\x7f')))
        {
            throw new ArgumentException($"'{host}' is not a valid host name.", nameof(host));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        ArgumentOutOfRangeException.ThrowIfLessThan(weight, 1);
        Host = host;
        Port = port;
        Weight = weight;
    }

    /// <summary>The host, exactly as configured.</summary>
    public string Host { get; }

    /// <summary>The TCP port.</summary>
    public int Port { get; }

    /// <summary>The ketama weight (1 unless configured).</summary>
    public int Weight { get; }

    /// <summary>Parses <c>host:port[:weight]</c> (or <c>[v6]:port[:weight]</c>).</summary>
    /// <exception cref="FormatException">The text is not an endpoint.</exception>
    public static ServerEndpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        string host;
        string rest;
        if (s.StartsWith('['))
        {
            var close = s.IndexOf(']', StringComparison.Ordinal);
            if (close < 2 || close + 1 >= s.Length || s[close + 1] != ':')
            {
                throw Bad(text, "an IPv6 host is written [address]:port");
            }

            host = s[1..close];
            rest = s[(close + 2)..];
        }
        else
        {
            var colon = s.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw Bad(text, "expected host:port[:weight]");
            }

            host = s[..colon];
            rest = s[(colon + 1)..];
        }

        var parts = rest.Split(':');
        if (parts.Length > 2)
        {
            throw Bad(text, "expected host:port[:weight]");
        }

        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw Bad(text, "the port must be a number from 1 to 65535");
        }

        var weight = 1;
        if (parts.Length == 2 && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out weight) || weight < 1))
        {
            throw Bad(text, "the weight must be a whole number of at least 1");
        }

        try
        {
            return new ServerEndpoint(host, port, weight);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"'{text}' is not a memcached server: {e.Message}", e);
        }
    }

    /// <summary>Parses a comma-separated list such as <c>10.0.0.1:11211,10.0.0.2:11211:2</c>.</summary>
    /// <exception cref="FormatException">An entry is not an endpoint, or the list is empty.</exception>
    /// <exception cref="ArgumentException">The same host:port appears twice.</exception>
    public static IReadOnlyList<ServerEndpoint> ParseList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var list = new List<ServerEndpoint>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            list.Add(Parse(part));
        }

        if (list.Count == 0)
        {
            throw new FormatException("The memcached server list is empty; expected host:port[:weight],...");
        }

        EnsureDistinct(list);
        return list;
    }

    /// <summary><c>host:port</c> (IPv6 hosts in brackets); the weight is not included.</summary>
    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <inheritdoc/>
    public bool Equals(ServerEndpoint? other) =>
        other is not null && Port == other.Port && Weight == other.Weight && string.Equals(Host, other.Host, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ServerEndpoint);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(Host), Port, Weight);

    internal static void EnsureDistinct(IReadOnlyList<ServerEndpoint> list)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in list)
        {
            if (!seen.Add(e.ToString()))
            {
                throw new ArgumentException($"The memcached server {e} is listed twice.", nameof(list));
            }
        }
    }

    private static FormatException Bad(string text, string why) =>
        new($"'{text}' is not a memcached server: {why}.");
}
