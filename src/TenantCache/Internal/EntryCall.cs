namespace TenantCache.Internal;

/// <summary>What one get-or-create call is about: the entry, its factory and plan, what its reads ask for.</summary>
internal sealed class EntryCall<T>
{
    public EntryCall(ScopePath scope, string canonicalKey, string storeKey, Func<CancellationToken, ValueTask<T>> factory, EntryPlan plan, ReadWants wants)
    {
        Scope = scope;
        CanonicalKey = canonicalKey;
        StoreKey = storeKey;
        Factory = factory;
        Plan = plan;
        Wants = wants;
    }

    private string? _noteKey;

    public ScopePath Scope { get; }

    public string CanonicalKey { get; }

    public string StoreKey { get; }

    /// <summary>The key of the note a lease holder leaves for the fleet: <c>{app}:l:{s1}/{s2}:{key}</c> (bounded as a data key is).</summary>
    public string NoteKey => _noteKey ??= KeyEncoder.Bound(string.Concat(
        Scope.EscapedApplication, ":", KeyEncoder.LeaseNoteKind.ToString(), CanonicalKey.AsSpan(Scope.EscapedApplication.Length + 2)));

    public Func<CancellationToken, ValueTask<T>> Factory { get; }

    public EntryPlan Plan { get; }

    public ReadWants Wants { get; }
}
