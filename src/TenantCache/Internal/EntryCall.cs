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

    public ScopePath Scope { get; }

    public string CanonicalKey { get; }

    public string StoreKey { get; }

    public Func<CancellationToken, ValueTask<T>> Factory { get; }

    public EntryPlan Plan { get; }

    public ReadWants Wants { get; }
}
