using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TenantCache.Hybrid;
using TenantCache.Tests.Support;

namespace TenantCache.Tests.Hybrid;

/// <summary>Serializers registered through HybridCache's builder, and the engine's own when there are none.</summary>
public sealed class HybridSerializerTests
{
    private readonly ListLogger<TenantHybridCache> _log = new();

    private (HybridCache Hybrid, ITenantCache Cache, ServiceProvider Provider) Build(Action<IServiceCollection> register, ICacheSerializer? engineSerializer = null)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<ILogger<TenantHybridCache>>(_log);
        register(services);
        services.AddTenantCache(o =>
        {
            o.Application = "ser";
            o.Serializer = engineSerializer;
        }).AsHybridCache(HybridCacheScope.Application);
        var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<HybridCache>(), provider.GetRequiredService<ITenantCache>(), provider);
    }

    [Fact]
    public async Task A_per_type_serializer_writes_the_stored_bytes_and_reads_them_back()
    {
        var serializer = new PointSerializer();
        var (hybrid, cache, provider) = Build(s => s.AddHybridCache().AddSerializer(serializer));
        await using var _ = provider;

        await hybrid.SetAsync("p", new Point(3, 4));
        Assert.Equal("P3,4", Encoding.UTF8.GetString((await cache.GetAsync<byte[]>("p")).Value));
        var read = await hybrid.GetOrCreateAsync("p", _ => ValueTask.FromResult(new Point(0, 0)));

        Assert.Equal(new Point(3, 4), read);
        Assert.Equal(1, serializer.Writes);
        Assert.Equal(1, serializer.Reads);
    }

    [Fact]
    public async Task The_caller_that_ran_the_factory_keeps_its_instance_and_later_callers_get_their_own_copy()
    {
        var (hybrid, _, provider) = Build(s => s.AddHybridCache().AddSerializer<Box, BoxSerializer>());
        await using var _ = provider;
        var made = new Box { Value = "v" };

        var first = await hybrid.GetOrCreateAsync("b", _ => ValueTask.FromResult(made));
        var second = await hybrid.GetOrCreateAsync("b", _ => ValueTask.FromResult(new Box { Value = "other" }));

        Assert.Same(made, first);
        Assert.NotSame(first, second);
        Assert.Equal("v", second.Value);
    }

    [Fact]
    public async Task The_last_registered_factory_is_used_and_a_per_type_serializer_wins_over_factories()
    {
        var early = new PrefixFactory("early:");
        var late = new PrefixFactory("late:");
        var (hybrid, cache, provider) = Build(s => s.AddHybridCache().AddSerializerFactory(early).AddSerializerFactory(late).AddSerializer(new PointSerializer()));
        await using var _ = provider;

        await hybrid.SetAsync("box", new Box { Value = "v" });
        await hybrid.SetAsync("point", new Point(1, 2));

        Assert.Equal("late:v", Encoding.UTF8.GetString((await cache.GetAsync<byte[]>("box")).Value));
        Assert.Equal("P1,2", Encoding.UTF8.GetString((await cache.GetAsync<byte[]>("point")).Value));
        Assert.Equal("v", (await hybrid.GetOrCreateAsync("box", _ => ValueTask.FromResult(new Box()))).Value);
        Assert.Equal(0, early.Created);
    }

    [Fact]
    public async Task With_only_Microsofts_defaults_the_engine_serializes_strings_raw_and_objects_with_its_own_serializer()
    {
        var engine = new CountingSerializer();
        var (hybrid, cache, provider) = Build(s => s.AddHybridCache(), engine);
        await using var _ = provider;

        await hybrid.SetAsync("s", "text");
        await hybrid.SetAsync("p", new Point(5, 6));

        Assert.Equal("text", (await cache.GetAsync<string>("s")).Value);
        Assert.Equal(new Point(5, 6), await hybrid.GetOrCreateAsync("p", _ => ValueTask.FromResult(new Point(0, 0))));
        Assert.Equal(1, engine.Writes);
        Assert.True(HybridSerializers.IsMicrosoftDefault(provider.GetRequiredService<IHybridCacheSerializerFactory>()));
        Assert.True(HybridSerializers.IsMicrosoftDefault(provider.GetRequiredService<IHybridCacheSerializer<string>>()));
    }

    [Fact]
    public async Task Stored_bytes_the_serializer_cannot_read_are_a_miss_replaced_by_the_factory_and_logged_without_the_key()
    {
        var (hybrid, cache, provider) = Build(s => s.AddHybridCache().AddSerializer(new PointSerializer()));
        await using var _ = provider;
        await cache.SetAsync("secret-key", "garbage"u8.ToArray());

        var calls = 0;
        var read = await hybrid.GetOrCreateAsync("secret-key", _ => { calls++; return ValueTask.FromResult(new Point(7, 7)); });
        var again = await hybrid.GetOrCreateAsync("secret-key", _ => { calls++; return ValueTask.FromResult(new Point(0, 0)); });

        Assert.Equal(new Point(7, 7), read);
        Assert.Equal(new Point(7, 7), again);
        Assert.Equal(1, calls);
        var entry = Assert.Single(_log.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Equal(1101, entry.Id.Id);
        Assert.DoesNotContain("secret-key", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_serializer_that_throws_on_write_reaches_the_caller()
    {
        var (hybrid, _, provider) = Build(s => s.AddHybridCache().AddSerializer(new PointSerializer { FailWrites = true }));
        await using var _ = provider;
        await Assert.ThrowsAsync<FormatException>(async () => await hybrid.SetAsync("p", new Point(1, 1)));
        await Assert.ThrowsAsync<FormatException>(async () => await hybrid.GetOrCreateAsync("p", _ => ValueTask.FromResult(new Point(1, 1))));
    }

    public sealed record Point(int X, int Y);

    public sealed class Box
    {
        public string Value { get; set; } = "";
    }

    /// <summary>Writes <c>P{x},{y}</c>; counts its calls.</summary>
    private sealed class PointSerializer : IHybridCacheSerializer<Point>
    {
        public int Writes;
        public int Reads;

        public bool FailWrites { get; init; }

        public Point Deserialize(ReadOnlySequence<byte> source)
        {
            Interlocked.Increment(ref Reads);
            var text = Encoding.UTF8.GetString(source.ToArray());
            var parts = text.StartsWith('P') ? text[1..].Split(',') : throw new FormatException("not a point");
            return new Point(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
        }

        public void Serialize(Point value, IBufferWriter<byte> target)
        {
            Interlocked.Increment(ref Writes);
            if (FailWrites)
            {
                throw new FormatException("refused");
            }

            target.Write(Encoding.UTF8.GetBytes($"P{value.X},{value.Y}"));
        }
    }

    private sealed class BoxSerializer : IHybridCacheSerializer<Box>
    {
        public Box Deserialize(ReadOnlySequence<byte> source) => new() { Value = Encoding.UTF8.GetString(source.ToArray()) };

        public void Serialize(Box value, IBufferWriter<byte> target) => target.Write(Encoding.UTF8.GetBytes(value.Value));
    }

    /// <summary>Serializes <see cref="Box"/> only, as <c>{prefix}{value}</c>.</summary>
    private sealed class PrefixFactory(string prefix) : IHybridCacheSerializerFactory
    {
        public int Created;

        public bool TryCreateSerializer<T>([NotNullWhen(true)] out IHybridCacheSerializer<T>? serializer)
        {
            serializer = typeof(T) == typeof(Box) ? (IHybridCacheSerializer<T>)(object)new Prefixed(prefix) : null;
            Created += serializer is null ? 0 : 1;
            return serializer is not null;
        }

        private sealed class Prefixed(string prefix) : IHybridCacheSerializer<Box>
        {
            public Box Deserialize(ReadOnlySequence<byte> source) => new() { Value = Encoding.UTF8.GetString(source.ToArray())[prefix.Length..] };

            public void Serialize(Box value, IBufferWriter<byte> target) => target.Write(Encoding.UTF8.GetBytes(prefix + value.Value));
        }
    }

    private sealed class CountingSerializer : ICacheSerializer
    {
        private readonly SystemTextJsonCacheSerializer _inner = new();
        public int Writes;

        public void Serialize<T>(T value, IBufferWriter<byte> destination)
        {
            Interlocked.Increment(ref Writes);
            _inner.Serialize(value, destination);
        }

        public T Deserialize<T>(ReadOnlySpan<byte> source) => _inner.Deserialize<T>(source);
    }
}
