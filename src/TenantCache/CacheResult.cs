using System.Diagnostics.CodeAnalysis;

namespace TenantCache;

/// <summary>The answer to a cache read: a hit carrying a value (which may be a stored null) or a miss.</summary>
/// <typeparam name="T">The value's type.</typeparam>
public readonly struct CacheResult<T>
{
    private readonly T _value;

    /// <summary>Creates a hit.</summary>
    public CacheResult(T value)
    {
        _value = value;
        HasValue = true;
    }

    /// <summary>A miss.</summary>
    public static CacheResult<T> Miss => default;

    /// <summary>Whether the read was a hit. A stored <see langword="null"/> is a hit.</summary>
    public bool HasValue { get; }

    /// <summary>The value of a hit.</summary>
    /// <exception cref="InvalidOperationException">The read was a miss.</exception>
    public T Value => HasValue ? _value : throw new InvalidOperationException("The cache read was a miss; check HasValue first.");

    /// <summary>Gets the value of a hit.</summary>
    public bool TryGetValue([MaybeNullWhen(false)] out T value)
    {
        value = _value;
        return HasValue;
    }

    /// <summary>The value of a hit, or <paramref name="fallback"/> on a miss.</summary>
    public T GetValueOrDefault(T fallback) => HasValue ? _value : fallback;

    /// <inheritdoc />
    public override string ToString() => HasValue ? $"Hit({_value})" : "Miss";
}
