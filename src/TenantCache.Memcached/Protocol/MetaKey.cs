namespace TenantCache.Memcached.Protocol;

/// <summary>Validation of memcached keys (1 to 250 bytes in 0x21–0x7E).</summary>
internal static class MetaKey
{
    /// <summary>The longest key memcached accepts, in bytes.</summary>
    public const int MaxLength = 250;

    /// <summary>Whether <paramref name="key"/> is a valid memcached key.</summary>
    public static bool IsValid(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in key)
        {
            if (c is < (char)0x21 or > (char)0x7E)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="key"/> is valid.</summary>
    public static void Validate(string? key, string paramName = "key")
    {
        if (key is null)
        {
            throw new ArgumentNullException(paramName);
        }

        if (!IsValid(key))
        {
            throw new ArgumentException(
                $"A memcached key must be 1 to {MaxLength} bytes in the range 0x21-0x7E (no spaces or control characters); got {key.Length} characters.",
                paramName);
        }
    }

    /// <summary>Writes a validated key as ASCII.</summary>
    public static void Write(string key, Span<byte> destination)
    {
        for (var i = 0; i < key.Length; i++)
        {
            destination[i] = (byte)key[i];
        }
    }
}
