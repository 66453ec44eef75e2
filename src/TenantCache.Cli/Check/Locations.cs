using System.Globalization;

namespace TenantCache.Cli.Check;

/// <summary>What an operation of the checker did.</summary>
internal enum OpKind : byte
{
    Get,
    Set,
    GetOrCreate,
    Remove,
    InvalidateScope,
    InvalidateTag,
    Fault,
}

/// <summary>How an operation ended.</summary>
internal enum OpStatus : byte
{
    /// <summary>Returned normally.</summary>
    Ok,

    /// <summary>Threw (see <see cref="Operation.Error"/>).</summary>
    Threw,

    /// <summary>Cancelled by the caller (the run was aborted); never judged, never evidence.</summary>
    Cancelled,

    /// <summary>Never returned (its end is unknown: <see cref="Operation.End"/> is <see cref="long.MaxValue"/>).</summary>
    Unfinished,
}

/// <summary>
/// A scope of the workload: the application root (<see cref="Tenant"/> = -1), a tenant
/// (<see cref="Sub"/> = -1) or a tenant's sub-scope.
/// </summary>
internal readonly record struct Location(int App, int Tenant = -1, int Sub = -1)
{
    public int Depth => Tenant < 0 ? 0 : Sub < 0 ? 1 : 2;

    /// <summary>The path below the application, as written in values: "", "t1" or "t1/s0".</summary>
    public string Path => Tenant < 0
        ? ""
        : Sub < 0
            ? string.Create(CultureInfo.InvariantCulture, $"t{Tenant}")
            : string.Create(CultureInfo.InvariantCulture, $"t{Tenant}/s{Sub}");

    /// <summary>Whether this scope is <paramref name="other"/> or encloses it.</summary>
    public bool Encloses(Location other) =>
        App == other.App && (Tenant < 0 || (Tenant == other.Tenant && (Sub < 0 || Sub == other.Sub)));

    /// <summary>The invalidation targets of this scope and every scope above it, the application first.</summary>
    public IEnumerable<Target> EnclosingTargets()
    {
        yield return Target.Scope(new Location(App));
        if (Tenant >= 0)
        {
            yield return Target.Scope(new Location(App, Tenant));
        }

        if (Sub >= 0)
        {
            yield return Target.Scope(this);
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"a{App}/{Path}");
}

/// <summary>One entry of the workload: a key in a scope.</summary>
internal readonly record struct EntryKey(Location Location, int Key)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Location}:k{Key}");
}

/// <summary>What an invalidation replaces the version token of: a scope, or a tag of an application (<see cref="Tag"/> ≥ 0).</summary>
internal readonly record struct Target(Location Location, int Tag)
{
    public static Target Scope(Location location) => new(location, -1);

    public static Target ForTag(int app, int tag) => new(new Location(app), tag);

    public override string ToString() => Tag >= 0
        ? string.Create(CultureInfo.InvariantCulture, $"a{Location.App} tag g{Tag}")
        : string.Create(CultureInfo.InvariantCulture, $"scope {Location}");
}
