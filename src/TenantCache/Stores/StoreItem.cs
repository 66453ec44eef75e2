namespace TenantCache.Stores;

/// <summary>One result of <see cref="ICacheStore.GetManyAsync"/>: a value, or a miss.</summary>
public readonly struct StoreItem
{
    /// <summary>Creates a found item.</summary>
    public StoreItem(ReadOnlyMemory<byte> value)
    {
        Value = value;
        Found = true;
    }

    /// <summary>A miss.</summary>
    public static StoreItem Missing => default;

    /// <summary>Whether the key existed.</summary>
    public bool Found { get; }

    /// <summary>The stored bytes. Callers must not write to them.</summary>
    public ReadOnlyMemory<byte> Value { get; }
}
