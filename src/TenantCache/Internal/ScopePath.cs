namespace TenantCache.Internal;

/// <summary>
/// The immutable, pre-encoded form of a scope: its names, the store key of every level's version
/// token (the application first), and the prefix of its data keys.
/// </summary>
internal sealed class ScopePath
{
    private ScopePath(string application, string escapedApplication, string[] names, string[] escapedNames, string[] parentVersionKeys)
    {
        Application = application;
        EscapedApplication = escapedApplication;
        Names = names;
        EscapedNames = escapedNames;

        // The levels above are the parent's; only this level's version key is new.
        VersionKeys = new string[names.Length + 1];
        parentVersionKeys.CopyTo(VersionKeys, 0);
        VersionKeys[^1] = KeyEncoder.Bound(KeyEncoder.ScopePrefix(escapedApplication, KeyEncoder.VersionKind, escapedNames));

        DataPrefix = KeyEncoder.ScopePrefix(escapedApplication, KeyEncoder.DataKind, escapedNames);
    }

    public string Application { get; }

    public string EscapedApplication { get; }

    /// <summary>The names below the application: tenant, then deeper scopes.</summary>
    public string[] Names { get; }

    public string[] EscapedNames { get; }

    /// <summary>Version keys, one per level: [application, tenant, ...].</summary>
    public string[] VersionKeys { get; }

    /// <summary><c>{app}:d:{s1}/{s2}</c>, canonical (not bounded).</summary>
    public string DataPrefix { get; }

    public int Levels => VersionKeys.Length;

    public static ScopePath ForApplication(string application) =>
        new(application, KeyEncoder.Escape(application), [], [], []);

    public ScopePath Child(string name)
    {
        var names = new string[Names.Length + 1];
        Names.CopyTo(names, 0);
        names[^1] = name;
        var escaped = new string[Names.Length + 1];
        EscapedNames.CopyTo(escaped, 0);
        escaped[^1] = KeyEncoder.Escape(name);
        return new ScopePath(Application, EscapedApplication, names, escaped, VersionKeys);
    }

    /// <summary>The canonical (unbounded, unambiguous) identity of a key in this scope.</summary>
    public string CanonicalDataKey(string key) => string.Concat(DataPrefix, ":", KeyEncoder.Escape(key));

    /// <summary>The version key of an application tag: <c>{app}:t:{tag}</c>, whatever this scope is.</summary>
    public string TagVersionKey(string tag) =>
        KeyEncoder.Bound(string.Concat(EscapedApplication, ":t:", KeyEncoder.Escape(tag)));

    /// <summary>
    /// The version key of a tag private to this scope: <c>{app}:t:{s1}/{s2}:{tag}</c>. Escaped names
    /// hold no <c>:</c> or <c>/</c>, so it never equals an application tag's key (one colon fewer) nor
    /// another scope's, whatever the ids.
    /// </summary>
    public string ScopedTagVersionKey(string tag) =>
        KeyEncoder.Bound(string.Concat(KeyEncoder.ScopePrefix(EscapedApplication, KeyEncoder.TagKind, EscapedNames), ":", KeyEncoder.Escape(tag)));
}
