using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace TenantCache.Hybrid;

/// <summary>
/// Finds the <see cref="IHybridCacheSerializer{T}"/> a type should use, once per type: one registered
/// for the type, else the last registered <see cref="IHybridCacheSerializerFactory"/> that accepts it,
/// else none (the engine stores the value itself: strings and bytes raw, the rest through
/// <see cref="TenantCacheOptions.Serializer"/>).
/// </summary>
/// <remarks>
/// The defaults that <c>AddHybridCache()</c> registers (its string and byte[] serializers and its JSON
/// factory, all in <c>Microsoft.Extensions.Caching.Hybrid.Internal</c>) are passed over: they would
/// store what the engine already stores, and hide <see cref="TenantCacheOptions.Serializer"/>.
/// </remarks>
internal sealed class HybridSerializers
{
    private const string MicrosoftDefaultsNamespace = "Microsoft.Extensions.Caching.Hybrid.Internal";
    private static readonly object s_none = new();

    private readonly IServiceProvider _services;
    private readonly ConcurrentDictionary<Type, object> _byType = new();

    public HybridSerializers(IServiceProvider services) => _services = services;

    /// <summary>The serializer for <typeparamref name="T"/>, or <see langword="null"/> when the engine serializes it.</summary>
    public IHybridCacheSerializer<T>? Get<T>()
    {
        if (!_byType.TryGetValue(typeof(T), out var found))
        {
            // Two first calls may both look; they find the same registrations.
            found = _byType.GetOrAdd(typeof(T), Find<T>() ?? s_none);
        }

        return found as IHybridCacheSerializer<T>;
    }

    internal static bool IsMicrosoftDefault(object service) =>
        string.Equals(service.GetType().Namespace, MicrosoftDefaultsNamespace, StringComparison.Ordinal);

    private object? Find<T>()
    {
        if (_services.GetService<IHybridCacheSerializer<T>>() is { } own && !IsMicrosoftDefault(own))
        {
            return own;
        }

        var factories = _services.GetServices<IHybridCacheSerializerFactory>().ToArray();
        for (var i = factories.Length - 1; i >= 0; i--) // the last registered wins, as in Microsoft's HybridCache
        {
            if (!IsMicrosoftDefault(factories[i]) && factories[i].TryCreateSerializer<T>(out var made) && made is not null)
            {
                return made;
            }
        }

        return null;
    }
}
