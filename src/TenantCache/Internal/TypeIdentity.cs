using System.Text;

namespace TenantCache.Internal;

/// <summary>
/// The name a serialized value's type is recorded under in the envelope's identity digest: the
/// namespace-qualified name, generic arguments named the same way, no assembly name or version — so a
/// redeploy (a new assembly version) keeps its hits, and a value read as another type is a miss.
/// </summary>
/// <example><c>System.Collections.Generic.List`1[MyApp.Forecast]</c>, <c>MyApp.Outer+Inner[]</c>.</example>
internal static class TypeIdentity
{
    public static string NameOf(Type type)
    {
        var builder = new StringBuilder();
        Append(builder, type);
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, Type type)
    {
        if (type.IsArray)
        {
            Append(builder, type.GetElementType()!);
            var rank = type.GetArrayRank();
            builder.Append('[').Append(',', rank - 1).Append(']');
            return;
        }

        if (!type.IsGenericType)
        {
            builder.Append(type.FullName ?? type.Name);
            return;
        }

        var definition = type.GetGenericTypeDefinition();
        builder.Append(definition.FullName ?? definition.Name).Append('[');
        var arguments = type.GetGenericArguments();
        for (var i = 0; i < arguments.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            Append(builder, arguments[i]);
        }

        builder.Append(']');
    }
}

/// <summary>The bytes appended to the canonical key in the identity digest of a serialized <typeparamref name="T"/>: a newline (no key or type name holds one), then the UTF-8 name.</summary>
internal static class TypeIdentity<T>
{
    public static readonly byte[] Suffix = Encoding.UTF8.GetBytes("\n" + TypeIdentity.NameOf(typeof(T)));
}
