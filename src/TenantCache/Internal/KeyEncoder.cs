using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace TenantCache.Internal;

/// <summary>
/// Turns identities (application, scope path, key, tag) into memcached-safe store keys, unambiguously.
/// </summary>
/// <remarks>
/// <para>Each name is converted to bytes with WTF-8 (UTF-8 that also encodes unpaired surrogates, so
/// every .NET string maps to distinct bytes), then escaped: ASCII letters, digits and <c>- _ . ~</c>
/// stay as they are, every other byte becomes <c>%XX</c>. Escaped names therefore never contain the
/// separators <c>:</c> and <c>/</c>, nor <c>#</c>, so the joined key decodes in exactly one way.</para>
/// <para>Layouts: scope version <c>{app}:v:{s1}/{s2}</c>; data <c>{app}:d:{s1}/{s2}:{key}</c>; tag
/// version <c>{app}:t:{tag}</c>; version of a tag private to a scope <c>{app}:t:{s1}/{s2}:{tag}</c>; the note of a recompute lease on a data key <c>{app}:l:{s1}/{s2}:{key}</c>. The application comes first so memcached's per-prefix statistics
/// (delimiter <c>:</c>) group by application.</para>
/// <para>A key longer than 250 bytes keeps its first 206 characters and replaces the rest with
/// <c>#</c> and the unpadded base64url SHA-256 of the whole canonical key (43 characters). Unhashed
/// keys never contain <c>#</c>, so a hashed key cannot equal an unhashed one, and two hashed keys
/// are equal only if SHA-256 collides.</para>
/// </remarks>
internal static class KeyEncoder
{
    public const int MaxKeyLength = 250;
    private const int DigestChars = 43; // base64url of 32 bytes, unpadded
    private const int HashedPrefixLength = MaxKeyLength - DigestChars - 1;

    public const char VersionKind = 'v';
    public const char DataKind = 'd';
    public const char TagKind = 't';
    public const char LeaseNoteKind = 'l';

    /// <summary>Escapes one name (application, scope, key or tag) to its canonical ASCII form.</summary>
    public static string Escape(string name)
    {
        if (IsAllSafe(name))
        {
            return name;
        }

        var sb = new StringBuilder(name.Length * 3);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c < 0x80)
            {
                AppendByte(sb, (byte)c);
                continue;
            }

            int codePoint = c;
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                codePoint = char.ConvertToUtf32(c, name[i + 1]);
                i++;
            }

            var n = EncodeWtf8(codePoint, utf8);
            for (var j = 0; j < n; j++)
            {
                AppendByte(sb, utf8[j]);
            }
        }

        return sb.ToString();
    }

    /// <summary>Builds <c>{app}:{kind}:{s1}/{s2}...</c> from already escaped parts.</summary>
    public static string ScopePrefix(string escapedApplication, char kind, ReadOnlySpan<string> escapedPath)
    {
        var sb = new StringBuilder(escapedApplication.Length + 3 + (escapedPath.Length * 16));
        sb.Append(escapedApplication).Append(':').Append(kind).Append(':');
        for (var i = 0; i < escapedPath.Length; i++)
        {
            if (i > 0)
            {
                sb.Append('/');
            }

            sb.Append(escapedPath[i]);
        }

        return sb.ToString();
    }

    /// <summary>Joins an escaped data prefix (<c>{app}:d:{path}</c>) and an escaped key.</summary>
    public static string DataKey(string dataPrefix, string escapedKey) =>
        Bound(string.Concat(dataPrefix, ":", escapedKey));

    /// <summary>Makes a canonical key fit memcached's 250-byte limit.</summary>
    public static string Bound(string canonical)
    {
        if (canonical.Length <= MaxKeyLength)
        {
            return canonical;
        }

        var byteCount = canonical.Length; // canonical keys are ASCII
        var rented = ArrayPool<byte>.Shared.Rent(byteCount);
        try
        {
            Encoding.ASCII.GetBytes(canonical, rented);
            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(rented.AsSpan(0, byteCount), digest);
            return string.Create(MaxKeyLength, (canonical, Digest: Base64Url.EncodeToString(digest)), static (span, state) =>
            {
                state.canonical.AsSpan(0, HashedPrefixLength).CopyTo(span);
                span[HashedPrefixLength] = '#';
                state.Digest.AsSpan().CopyTo(span[(HashedPrefixLength + 1)..]);
            });
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Whether a string is a key memcached accepts as is.</summary>
    public static bool IsValidStoreKey(string key)
    {
        if (key.Length is 0 or > MaxKeyLength)
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

    private static bool IsAllSafe(string name)
    {
        foreach (var c in name)
        {
            if (!IsSafe(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsSafe(int c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~';

    private static void AppendByte(StringBuilder sb, byte b)
    {
        if (IsSafe(b))
        {
            sb.Append((char)b);
            return;
        }

        sb.Append('%').Append(HexDigit(b >> 4)).Append(HexDigit(b & 0xF));
    }

    private static char HexDigit(int v) => (char)(v < 10 ? '0' + v : 'A' + v - 10);

    // WTF-8: like UTF-8, but a lone surrogate (0xD800–0xDFFF) is encoded as a 3-byte sequence too.
    private static int EncodeWtf8(int codePoint, Span<byte> destination)
    {
        if (codePoint < 0x800)
        {
            destination[0] = (byte)(0xC0 | (codePoint >> 6));
            destination[1] = (byte)(0x80 | (codePoint & 0x3F));
            return 2;
        }

        if (codePoint < 0x10000)
        {
            destination[0] = (byte)(0xE0 | (codePoint >> 12));
            destination[1] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
            destination[2] = (byte)(0x80 | (codePoint & 0x3F));
            return 3;
        }

        destination[0] = (byte)(0xF0 | (codePoint >> 18));
        destination[1] = (byte)(0x80 | ((codePoint >> 12) & 0x3F));
        destination[2] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
        destination[3] = (byte)(0x80 | (codePoint & 0x3F));
        return 4;
    }
}
