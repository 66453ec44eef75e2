using System.ComponentModel;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace TenantCache.Hybrid;

/// <summary>
/// Which types HybridCache callers may share one instance of, by Microsoft's HybridCache rule:
/// <see cref="string"/>; value types without references (every caller gets a copy anyway); and
/// value types or <em>sealed</em> classes marked <c>[ImmutableObject(true)]</c>. Everything else
/// (arrays, <c>byte[]</c> included, collections, unsealed or unmarked classes) is mutable.
/// </summary>
internal static class ImmutableTypes
{
    /// <summary>Whether <typeparamref name="T"/> is immutable; computed once per type.</summary>
    public static bool Is<T>() => Cache<T>.IsImmutable;

    public static bool IsImmutable(Type type)
    {
        if (type == typeof(string))
        {
            return true;
        }

        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsValueType || (underlying.IsClass && underlying.IsSealed))
        {
            return underlying.GetCustomAttribute<ImmutableObjectAttribute>() is { Immutable: true };
        }

        return false; // an interface or an unsealed class: the instance may be of any type
    }

    private static class Cache<T>
    {
        public static readonly bool IsImmutable = (typeof(T).IsValueType && !RuntimeHelpers.IsReferenceOrContainsReferences<T>()) || ImmutableTypes.IsImmutable(typeof(T));
    }
}
