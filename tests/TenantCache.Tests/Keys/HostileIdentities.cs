using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace TenantCache.Tests.Keys;

/// <summary>An identity as the caller spells it: application, scope path (tenant first), key.</summary>
public sealed record Identity(string Application, string[] Path, string Key)
{
    /// <summary>Ordinal equality of the raw strings, the path compared as a sequence.</summary>
    public bool SameAs(Identity other) =>
        string.Equals(Application, other.Application, StringComparison.Ordinal)
        && Path.AsSpan().SequenceEqual(other.Path, StringComparer.Ordinal)
        && string.Equals(Key, other.Key, StringComparison.Ordinal);

    public override string ToString() =>
        $"({Show(Application)}, [{string.Join(", ", Path.Select(Show))}], {Show(Key)})";

    /// <summary>Every UTF-16 code unit outside printable ASCII as \uXXXX, long strings abbreviated.</summary>
    public static string Show(string s)
    {
        var sb = new StringBuilder("\"");
        var shown = s.Length > 80 ? s[..40] : s;
        foreach (var c in shown)
        {
            sb.Append(c is >= ' ' and <= '~' and not '"' and not '\\' ? c.ToString() : "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture));
        }

        if (s.Length > 80)
        {
            sb.Append(CultureInfo.InvariantCulture, $"...({s.Length} chars)");
        }

        return sb.Append('"').ToString();
    }
}

/// <summary>Generators of hostile names: separators, escapes, controls, combining marks, lone surrogates, huge strings.</summary>
public static class Hostile
{
    /// <summary>The atoms names are built from; several are spelled to look like our own escapes or layout.</summary>
    public static readonly string[] Atoms =
    [
        ":", "/", "%", "#", " ", "\t", "\n", "\r", "\0", "\u0001", "\u001F", "\u007F", "\u0085", "\u00A0", "\u2028",
        "\u00E9", "e\u0301", "e", "\u0301", "a", "b", "Z", "0", "9", "-", "_", ".", "~", "+", "=", "?", "&", "\\", "\"",
        "\uD83D\uDE00", "\uD83D", "\uDE00", "\uD800", "\uDC00", "\uDBFF", "\uDFFF", "\uFFFD", "\uFFFF", "\uFEFF",
        "%3A", "%2F", "%25", "%23", "%3a", "%C3%A9", "%ED%A0%80", ":d:", ":v:", ":t:", "d", "v", "t", "x:d",
    ];

    private static readonly string[] Big = ["a", "\u00E9", "\uD83D\uDE00", "\uD800", ":", "%", "%3A", "/", "x"];

    private static Gen<string> Short =>
        Gen.Choose(1, 6).SelectMany(n => Gen.ArrayOf(Gen.Elements(Atoms), n)).Select(string.Concat);

    /// <summary>A long string (250 chars to ~10 KB), sometimes near the 250-char bound once escaped.</summary>
    private static Gen<string> Long =>
        from atom in Gen.Elements(Big)
        from length in Gen.Frequency((3, Gen.Choose(20, 300)), (1, Gen.Choose(300, 10_240)))
        from tail in Short
        select string.Concat(Enumerable.Repeat(atom, length / atom.Length)) + tail;

    /// <summary>Entry keys: anything non-empty.</summary>
    public static Gen<string> Key => Gen.Frequency((12, Short), (1, Long));

    /// <summary>Application ids, tenants, scope names, tags: non-empty and not only whitespace.</summary>
    public static Gen<string> Name => Key.Where(s => !string.IsNullOrWhiteSpace(s));

    public static Gen<string[]> Path => Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(Name, n));

    public static Gen<Identity> Identity =>
        from app in Name
        from path in Path
        from key in Key
        select new Identity(app, path, key);

    /// <summary>A small set of identities that often share parts, to make near-collisions likely.</summary>
    public static Gen<Identity[]> IdentitySet =>
        from apps in Gen.ArrayOf(Name, 2)
        from names in Gen.ArrayOf(Name, 3)
        from keys in Gen.ArrayOf(Key, 3)
        from count in Gen.Choose(2, 16)
        from ids in Gen.ArrayOf(Related(apps, names, keys), count)
        from shifted in SeparatorShift
        select (Identity[])[.. ids, shifted.Item1, shifted.Item2];

    private static Gen<Identity> Related(string[] apps, string[] names, string[] keys) =>
        from app in Gen.Frequency((3, Gen.Elements(apps)), (1, Name))
        from depth in Gen.Choose(0, 4)
        from path in Gen.ArrayOf(Gen.Frequency((3, Gen.Elements(names)), (1, Name)), depth)
        from key in Gen.Frequency((3, Gen.Elements(keys)), (1, Key))
        select new Identity(app, path, key);

    /// <summary>
    /// Pairs of identities spelled from the same tokens but cut into components at different places,
    /// the cut sometimes carrying a separator (<c>:</c>, <c>/</c>, <c>%3A</c>...) into a name.
    /// </summary>
    public static Gen<(Identity, Identity)> SeparatorShift =>
        from tokens in Gen.Choose(2, 7).SelectMany(n => Gen.ArrayOf(Gen.Elements("a", "b", "c", "x", "d", "v", "\u00E9", "%3A", "%2F"), n))
        from glue in Gen.ArrayOf(Gen.Elements("", ":", "/", ":d:", ":v:", "%3A", "%2F", "%", "#"), tokens.Length)
        from cuts in Gen.ArrayOf(Gen.Elements(true, false), tokens.Length - 1)
        from keepGlue in Gen.ArrayOf(Gen.Elements(true, false), tokens.Length - 1)
        from moved in Gen.Choose(0, tokens.Length - 2)
        from flipCut in Gen.Elements(true, false)
        select (Build(tokens, glue, cuts, keepGlue), Build(tokens, glue, Flip(cuts, moved, flipCut), Flip(keepGlue, moved, !flipCut)));

    /// <summary>The same flags with one of them toggled (or none, when <paramref name="toggle"/> is false).</summary>
    private static bool[] Flip(bool[] flags, int index, bool toggle)
    {
        var copy = (bool[])flags.Clone();
        if (toggle)
        {
            copy[index] = !copy[index];
        }

        return copy;
    }

    private static Identity Build(string[] tokens, string[] glue, bool[] cuts, bool[] keepGlue)
    {
        // Components are runs of tokens; inside a run the glue is part of the name; at a cut it is
        // either dropped (the layout's separator stands in for it) or kept at the end of the left name.
        var parts = new List<string>();
        var current = new StringBuilder(tokens[0]);
        for (var i = 1; i < tokens.Length; i++)
        {
            if (cuts[i - 1])
            {
                if (keepGlue[i - 1])
                {
                    current.Append(glue[i]);
                }

                parts.Add(current.ToString());
                current.Clear().Append(tokens[i]);
            }
            else
            {
                current.Append(glue[i]).Append(tokens[i]);
            }
        }

        parts.Add(current.ToString());
        if (parts.Count == 1)
        {
            return new Identity(parts[0], [], parts[0]);
        }

        var path = parts.Skip(1).Take(Math.Min(parts.Count - 2, 4)).ToArray();
        var key = string.Concat(parts.Skip(1 + path.Length));
        return new Identity(parts[0], path, key);
    }
}

/// <summary>Arbitrary instances for <c>[Property(Arbitrary = ...)]</c>.</summary>
public static class HostileArbitraries
{
    public static Arbitrary<Identity[]> IdentitySet() => Hostile.IdentitySet.ToArbitrary();

    public static Arbitrary<(Identity, Identity)> Pairs() => Hostile.SeparatorShift.ToArbitrary();

    public static Arbitrary<string[]> Names() =>
        Gen.Choose(1, 12).SelectMany(n => Gen.ArrayOf(Hostile.Key, n)).ToArbitrary();
}
