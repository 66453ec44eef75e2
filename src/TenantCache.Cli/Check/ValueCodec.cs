using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TenantCache.Cli.Check;

/// <summary>Why a value returned by the cache did not verify.</summary>
internal enum ValueDefect
{
    None,

    /// <summary>Not in the checker's format (truncated, garbage, another program's data).</summary>
    Undecodable,

    /// <summary>The checksum does not match the rest: the bytes were altered.</summary>
    BadChecksum,

    /// <summary>A well-formed value written for another (application, scope, key).</summary>
    ForeignIdentity,
}

/// <summary>
/// The values the checker writes: <c>v1|a{app}|{path}|k{key}|w{writeId:x}|{padding}|{checksum}</c>,
/// where the checksum is the first 8 bytes (16 hex digits) of the SHA-256 of everything before the
/// last separator. A value therefore names its identity and its write, and any alteration shows.
/// </summary>
internal static class ValueCodec
{
    private const string Version = "v1";

    public static string Encode(EntryKey entry, long writeId, int paddingLength = 0)
    {
        var padding = paddingLength <= 0 ? "" : Padding(writeId, paddingLength);
        var body = string.Create(
            CultureInfo.InvariantCulture,
            $"{Version}|a{entry.Location.App}|{entry.Location.Path}|k{entry.Key}|w{writeId:x}|{padding}");
        return body + "|" + Checksum(body);
    }

    /// <summary>Decodes and verifies <paramref name="value"/> as a value of <paramref name="expected"/>.</summary>
    public static ValueDefect Verify(string? value, EntryKey expected, out long writeId)
    {
        var defect = Decode(value, out var entry, out writeId);
        if (defect != ValueDefect.None)
        {
            return defect;
        }

        return entry == expected ? ValueDefect.None : ValueDefect.ForeignIdentity;
    }

    public static ValueDefect Decode(string? value, out EntryKey entry, out long writeId)
    {
        entry = default;
        writeId = 0;
        if (value is null)
        {
            return ValueDefect.Undecodable;
        }

        var last = value.LastIndexOf('|');
        if (last < 0)
        {
            return ValueDefect.Undecodable;
        }

        var body = value[..last];
        var parts = body.Split('|');
        if (parts.Length != 6 || parts[0] != Version
            || !TryNumber(parts[1], 'a', NumberStyles.None, out var app)
            || !TryPath(parts[2], out var tenant, out var sub)
            || !TryNumber(parts[3], 'k', NumberStyles.None, out var key)
            || !TryNumber(parts[4], 'w', NumberStyles.AllowHexSpecifier, out writeId)
            || writeId == 0)
        {
            writeId = 0;
            return ValueDefect.Undecodable;
        }

        if (!string.Equals(value[(last + 1)..], Checksum(body), StringComparison.Ordinal))
        {
            writeId = 0;
            return ValueDefect.BadChecksum;
        }

        entry = new EntryKey(new Location((int)app, tenant, sub), (int)key);
        return ValueDefect.None;
    }

    public static string Checksum(string body) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)), 0, 8);

    private static string Padding(long writeId, int length)
    {
        var chars = new char[length];
        var x = (ulong)writeId;
        for (var i = 0; i < length; i++)
        {
            x = (x * 6364136223846793005UL) + 1442695040888963407UL;
            chars[i] = (char)('a' + (int)((x >> 33) % 26));
        }

        return new string(chars);
    }

    private static bool TryNumber(string text, char prefix, NumberStyles style, out long number)
    {
        number = 0;
        return text.Length > 1 && text[0] == prefix
            && long.TryParse(text.AsSpan(1), style, CultureInfo.InvariantCulture, out number) && number >= 0;
    }

    private static bool TryPath(string text, out int tenant, out int sub)
    {
        tenant = -1;
        sub = -1;
        if (text.Length == 0)
        {
            return true;
        }

        var names = text.Split('/');
        if (names.Length > 2 || !TryNumber(names[0], 't', NumberStyles.None, out var t))
        {
            return false;
        }

        tenant = (int)t;
        if (names.Length == 2)
        {
            if (!TryNumber(names[1], 's', NumberStyles.None, out var s))
            {
                return false;
            }

            sub = (int)s;
        }

        return true;
    }
}
