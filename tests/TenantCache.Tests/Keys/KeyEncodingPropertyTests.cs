using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using TenantCache.Internal;

namespace TenantCache.Tests.Keys;

/// <summary>
/// The key encoder over hostile identities: distinct identities never share a store key (I2), every
/// store key is a valid memcached key (I6), and the kinds of key never meet.
/// </summary>
public sealed class KeyEncodingPropertyTests
{
    private static readonly System.Buffers.SearchValues<char> Unreserved =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~-%");

    private static ScopePath ScopeOf(string application, IEnumerable<string> path)
    {
        var scope = ScopePath.ForApplication(application);
        foreach (var name in path)
        {
            scope = scope.Child(name);
        }

        return scope;
    }

    private static string Canonical(Identity id) => ScopeOf(id.Application, id.Path).CanonicalDataKey(id.Key);

    private static string DataKey(Identity id) => KeyEncoder.Bound(Canonical(id));

    private static string VersionKey(string application, string[] path) => ScopeOf(application, path).VersionKeys[^1];

    private static string TagKey(string application, string tag) => ScopePath.ForApplication(application).TagVersionKey(tag);

    private static void AssertValid(string storeKey, string what)
    {
        Assert.True(KeyEncoder.IsValidStoreKey(storeKey), $"{what} key is not a valid store key: {Identity.Show(storeKey)}");
        Assert.InRange(storeKey.Length, 1, KeyEncoder.MaxKeyLength);
        if (storeKey.Contains('#', StringComparison.Ordinal))
        {
            Assert.Equal(KeyEncoder.MaxKeyLength, storeKey.Length);
            Assert.Equal(1, storeKey.Count(c => c == '#'));
        }
    }

    /// <summary>Registers each value under its store key; fails when a key already stands for a different owner.</summary>
    private static void Claim<TOwner>(Dictionary<string, TOwner> seen, string storeKey, TOwner owner, Func<TOwner, TOwner, bool> same, string what)
    {
        if (seen.TryGetValue(storeKey, out var previous))
        {
            Assert.True(same(previous, owner), $"{what} collision: {previous} and {owner} both map to {Identity.Show(storeKey)}");
        }
        else
        {
            seen.Add(storeKey, owner);
        }
    }

    private static bool SamePath((string App, string[] Path) a, (string App, string[] Path) b) =>
        string.Equals(a.App, b.App, StringComparison.Ordinal) && a.Path.AsSpan().SequenceEqual(b.Path, StringComparer.Ordinal);

    private static bool SameTag((string App, string Tag) a, (string App, string Tag) b) =>
        string.Equals(a.App, b.App, StringComparison.Ordinal) && string.Equals(a.Tag, b.Tag, StringComparison.Ordinal);

    [Property(Arbitrary = [typeof(HostileArbitraries)], MaxTest = 1000)]
    public void Distinct_identities_never_share_a_data_key(Identity[] ids)
    {
        var bounded = new Dictionary<string, Identity>(StringComparer.Ordinal);
        var canonical = new Dictionary<string, Identity>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            Claim(canonical, Canonical(id), id, (a, b) => a.SameAs(b), "canonical data");
            Claim(bounded, DataKey(id), id, (a, b) => a.SameAs(b), "bounded data");
        }
    }

    [Property(Arbitrary = [typeof(HostileArbitraries)], MaxTest = 800)]
    public void Distinct_scope_paths_never_share_a_version_key_and_distinct_tags_never_share_a_tag_key(Identity[] ids)
    {
        var versions = new Dictionary<string, (string, string[])>(StringComparer.Ordinal);
        var tags = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            // Every prefix of the path is a scope with its own version key.
            for (var depth = 0; depth <= id.Path.Length; depth++)
            {
                var path = id.Path[..depth];
                Claim(versions, VersionKey(id.Application, path), (id.Application, path), SamePath, "version");
            }

            foreach (var tag in id.Path.Append(id.Key).Where(t => !string.IsNullOrWhiteSpace(t)))
            {
                Claim(tags, TagKey(id.Application, tag), (id.Application, tag), SameTag, "tag");
            }
        }
    }

    [Property(Arbitrary = [typeof(HostileArbitraries)], MaxTest = 800)]
    public void Every_store_key_is_valid_and_kinds_never_collide(Identity[] ids)
    {
        var data = new HashSet<string>(StringComparer.Ordinal);
        var versions = new HashSet<string>(StringComparer.Ordinal);
        var tags = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var scope = ScopeOf(id.Application, id.Path);
            var key = DataKey(id);
            AssertValid(key, "data");
            data.Add(key);
            Assert.Equal(id.Path.Length + 1, scope.VersionKeys.Length);
            foreach (var version in scope.VersionKeys)
            {
                AssertValid(version, "version");
                versions.Add(version);
            }

            var tag = TagKey(id.Application, id.Key.Trim().Length == 0 ? "tag" : id.Key);
            AssertValid(tag, "tag");
            tags.Add(tag);
        }

        Assert.False(data.Overlaps(versions), "a data key equals a version key");
        Assert.False(data.Overlaps(tags), "a data key equals a tag key");
        Assert.False(versions.Overlaps(tags), "a version key equals a tag key");
    }

    [Property(Arbitrary = [typeof(HostileArbitraries)], MaxTest = 1000)]
    public void Hashed_keys_are_exactly_250_chars_with_one_hash_and_unhashed_keys_have_none(Identity[] ids)
    {
        foreach (var id in ids)
        {
            var canonical = Canonical(id);
            var bounded = KeyEncoder.Bound(canonical);
            if (canonical.Length <= KeyEncoder.MaxKeyLength)
            {
                Assert.Equal(canonical, bounded);
                Assert.DoesNotContain('#', bounded);
            }
            else
            {
                Assert.Equal(KeyEncoder.MaxKeyLength, bounded.Length);
                Assert.Equal(1, bounded.Count(c => c == '#'));
                Assert.StartsWith(canonical[..bounded.IndexOf('#', StringComparison.Ordinal)], canonical, StringComparison.Ordinal);
            }
        }
    }

    [Property(Arbitrary = [typeof(HostileArbitraries)], MaxTest = 1000)]
    public void Escape_is_injective_and_emits_only_unreserved_ascii_and_percent(string[] names)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names.Concat(Hostile.Atoms))
        {
            var escaped = KeyEncoder.Escape(name);
            var bad = escaped.AsSpan().IndexOfAnyExcept(Unreserved);
            Assert.True(bad < 0, $"Escape({Identity.Show(name)}) emitted {(bad < 0 ? "" : Identity.Show(escaped[bad].ToString()))}");
            if (seen.TryGetValue(escaped, out var previous))
            {
                Assert.True(string.Equals(previous, name, StringComparison.Ordinal), $"Escape collision: {Identity.Show(previous)} and {Identity.Show(name)} -> {escaped}");
            }
            else
            {
                seen.Add(escaped, name);
            }
        }
    }

    [Property(Arbitrary = [typeof(HostileArbitraries)], MaxTest = 2000)]
    public void Identities_cut_from_the_same_tokens_at_different_places_never_collide((Identity, Identity) pair)
    {
        var (a, b) = pair;
        if (a.SameAs(b))
        {
            return;
        }

        Assert.NotEqual(Canonical(a), Canonical(b));
        Assert.NotEqual(DataKey(a), DataKey(b));
        if (!a.Path.AsSpan().SequenceEqual(b.Path, StringComparer.Ordinal) || a.Application != b.Application)
        {
            Assert.NotEqual(VersionKey(a.Application, a.Path), VersionKey(b.Application, b.Path));
        }
    }

    [Property(MaxTest = 500)]
    public void Short_alphanumeric_applications_stay_readable_at_the_front_of_every_key(NonEmptyString seed)
    {
        var app = new string(seed.Get.Where(char.IsAsciiLetterOrDigit).Take(20).ToArray());
        if (app.Length == 0)
        {
            app = "app";
        }

        var scope = ScopePath.ForApplication(app).Child("t:/%\uD800").Child("s");
        var keys = scope.VersionKeys.Append(KeyEncoder.Bound(scope.CanonicalDataKey("k:" + seed.Get)))
            .Append(KeyEncoder.Bound(scope.CanonicalDataKey(new string('\uD800', 300))))
            .Append(scope.TagVersionKey("tag " + seed.Get));
        Assert.All(keys, key => Assert.StartsWith(app + ":", key, StringComparison.Ordinal));
    }

    [Fact]
    public void Escape_keeps_look_alike_names_apart()
    {
        // Not [InlineData]: attribute metadata cannot hold lone surrogates (they become U+FFFD).
        (string, string)[] pairs =
        [
            ("\uD800", "\uFFFD"), ("\uDC00", "\uFFFD"), ("\uD800", "\uDC00"), ("\uDC00\uD800", "\uD800\uDC00"),
            ("\uD800\uDC00", "\uD800"), ("\uD800\uDC00", "\U00010000x"), ("\u00E9", "e\u0301"), (":", "%3A"), ("%", "%25"),
            ("%3A", "%253A"), ("/", "%2F"), ("#", "%23"), ("a b", "a+b"), ("a\0", "a"), ("\uFFFD\uFFFD", "\uD800\uD800"),
        ];
        foreach (var (first, second) in pairs)
        {
            Assert.False(
                string.Equals(KeyEncoder.Escape(first), KeyEncoder.Escape(second), StringComparison.Ordinal),
                $"{Identity.Show(first)} and {Identity.Show(second)} escape alike");
        }

        Assert.Equal("%ED%A0%80", KeyEncoder.Escape("\uD800"));
        Assert.Equal("%ED%B0%80", KeyEncoder.Escape("\uDC00"));
        Assert.Equal("%F0%90%80%80", KeyEncoder.Escape("\uD800\uDC00"));
    }

    public static TheoryData<Identity, Identity> SeparatorCases => new()
    {
        { new("app", ["a/b"], "c"), new("app", ["a", "b"], "c") },
        { new("app", ["a:b"], "c"), new("app", ["a"], "b:c") },
        { new("app", ["a"], "b:c"), new("app", ["a", "b"], "c") },
        { new("x:d", [], "k"), new("x", [], "d:k") },
        { new("x:d", ["t"], "k"), new("x", ["t"], "k") },
        { new("x", ["d:t"], "k"), new("x", [":d:t"], "k") },
        { new("x", [], ":k"), new("x", [":"], "k") },
        { new("x:v", [], "k"), new("x", ["v"], "k") },
        { new("app", ["t"], "k"), new("app", [], "t:k") },
        { new("app", ["t"], "k"), new("app", [], "t/k") },
        { new("app", ["%2F"], "k"), new("app", ["/"], "k") },
        { new("app", ["t"], "%3Ak"), new("app", ["t:"], "k") },
        { new("a%3Ad", [], "k"), new("a", [], "d:k") },
    };

    [Theory]
    [MemberData(nameof(SeparatorCases))]
    public void Moving_a_separator_between_components_changes_the_key(Identity first, Identity second)
    {
        Assert.NotEqual(Canonical(first), Canonical(second));
        Assert.NotEqual(DataKey(first), DataKey(second));
        Assert.NotEqual(VersionKey(first.Application, [.. first.Path, "s"]), VersionKey(second.Application, [.. second.Path, "s"]));
    }

    [Fact]
    public void Keys_at_the_250_char_boundary_are_hashed_only_above_it()
    {
        var prefix = ScopePath.ForApplication("app").Child("t").DataPrefix + ":";
        var exact = prefix + new string('k', KeyEncoder.MaxKeyLength - prefix.Length);
        var over = exact + "k";
        Assert.Equal(exact, KeyEncoder.Bound(exact));
        var hashed = KeyEncoder.Bound(over);
        Assert.Equal(KeyEncoder.MaxKeyLength, hashed.Length);
        Assert.Contains('#', hashed);
        Assert.NotEqual(hashed, KeyEncoder.Bound(over + "k"));
        Assert.True(KeyEncoder.IsValidStoreKey(hashed));
    }
}
