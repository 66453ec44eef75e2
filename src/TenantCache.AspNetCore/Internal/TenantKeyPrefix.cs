using System.Text;

namespace TenantCache.AspNetCore.Internal;

/// <summary>
/// Carries the tenant inside the output-cache key. The middleware starts every key with the policy's
/// <c>CacheKeyPrefix</c> and refuses to cache when it holds <c>\x1e</c> or <c>\x1f</c>; the store gets
/// only the key. So the tenant policy writes <c>tc-tenant:{escaped id};{previous prefix}</c> and the
/// store reads the tenant back from it.
/// </summary>
/// <remarks>
/// The escape (<c>%</c>, <c>;</c>, <c>\x1e</c>, <c>\x1f</c> as <c>%XX</c>) is injective and ends at the
/// first <c>;</c>, so no tenant id can produce another tenant's prefix or reach past its own.
/// </remarks>
internal static class TenantKeyPrefix
{
    public const string Marker = "tc-tenant:";

    /// <summary><c>tc-tenant:{escaped id};</c>: the policy puts it in front of any prefix set before.</summary>
    public static string Create(string tenantId)
    {
        var sb = new StringBuilder(Marker.Length + tenantId.Length + 1);
        sb.Append(Marker);
        foreach (var c in tenantId)
        {
            switch (c)
            {
                case '%':
                    sb.Append("%25");
                    break;
                case ';':
                    sb.Append("%3B");
                    break;
                case '\x1e':
                    sb.Append("%1E");
                    break;
                case '\x1f':
                    sb.Append("%1F");
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        sb.Append(';');
        return sb.ToString();
    }

    /// <summary>Splits a store key into the tenant and the rest; <see langword="false"/> for a key without a tenant.</summary>
    public static bool TryParse(string key, out string tenantId, out string rest)
    {
        tenantId = "";
        rest = key;
        if (!key.StartsWith(Marker, StringComparison.Ordinal))
        {
            return false;
        }

        var end = key.IndexOf(';', Marker.Length);
        if (end < 0)
        {
            return false;
        }

        var escaped = key.AsSpan(Marker.Length, end - Marker.Length);
        var sb = new StringBuilder(escaped.Length);
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] == '%')
            {
                if (i + 2 >= escaped.Length)
                {
                    return false;
                }

                var decoded = escaped.Slice(i + 1, 2) switch
                {
                    "25" => '%',
                    "3B" => ';',
                    "1E" => '\x1e',
                    "1F" => '\x1f',
                    _ => '\0',
                };
                if (decoded == '\0')
                {
                    return false;
                }

                sb.Append(decoded);
                i += 2;
            }
            else
            {
                sb.Append(escaped[i]);
            }
        }

        if (sb.Length == 0 || string.IsNullOrWhiteSpace(sb.ToString()))
        {
            return false;
        }

        tenantId = sb.ToString();
        rest = key[(end + 1)..];
        return true;
    }
}
