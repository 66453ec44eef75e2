using Microsoft.Extensions.Logging;
using TenantCache.Internal;
using TenantCache.Stores;
using TenantCache.Tests.Support;

namespace TenantCache.Tests.Engine;

/// <summary>A serialized value read as another type is a miss, never an object filled with defaults.</summary>
public sealed class TypeIdentityTests
{
    public sealed record Foo(int A, string B);

    public sealed record Bar(int A);

    [Fact]
    public async Task A_value_written_as_one_type_and_read_as_a_compatible_shape_is_a_miss()
    {
        var log = new ListLogger<ApplicationCache>();
        var tenant = new ApplicationCache(new MemoryCacheStore(), new TenantCacheOptions { Application = "types" }, log).Tenant("t");
        await tenant.SetAsync("k", new Foo(7, "b"));

        Assert.False((await tenant.GetAsync<Bar>("k")).HasValue);
        Assert.Equal(new Foo(7, "b"), (await tenant.GetAsync<Foo>("k")).Value);
        var warning = Assert.Single(log.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Contains(nameof(RejectCause.TypeMismatch), warning.Message, StringComparison.Ordinal);

        // get-or-create as the other type computes, and then each type hits its own entry only.
        Assert.Equal(new Bar(1), await tenant.GetOrCreateAsync("k", _ => ValueTask.FromResult(new Bar(1))));
        Assert.Equal(new Bar(1), (await tenant.GetAsync<Bar>("k")).Value);
        Assert.False((await tenant.GetAsync<Foo>("k")).HasValue);
    }

    [Fact]
    public async Task Raw_values_keep_hitting_across_their_raw_types()
    {
        var tenant = new ApplicationCache(new MemoryCacheStore(), new TenantCacheOptions { Application = "raw" }).Tenant("t");
        await tenant.SetAsync("bytes", new byte[] { 1, 2, 3 });
        await tenant.SetAsync("text", "hello");

        Assert.Equal([1, 2, 3], (await tenant.GetAsync<byte[]>("bytes")).Value);
        Assert.Equal([1, 2, 3], (await tenant.GetAsync<ReadOnlyMemory<byte>>("bytes")).Value.ToArray());
        Assert.Equal("hello", (await tenant.GetAsync<string>("text")).Value);
        Assert.False((await tenant.GetAsync<Foo>("text")).HasValue);
    }

    [Fact]
    public async Task Serialized_entries_of_the_previous_engine_are_misses()
    {
        var store = new MemoryCacheStore();
        var tenant = new ApplicationCache(store, new TenantCacheOptions { Application = "old" }).Tenant("t");
        await tenant.SetAsync("k", new Foo(1, "x"));
        var key = KeyEncoder.Bound(ScopePath.ForApplication("old").Child("t").CanonicalDataKey("k"));
        var items = new StoreItem[1];
        await store.GetManyAsync(new[] { key }, items);
        var bytes = items[0].Value.ToArray();
        Envelope.IdentityDigest(ScopePath.ForApplication("old").Child("t").CanonicalDataKey("k"), bytes.AsSpan(8, 32)); // untyped, as before
        await store.SetAsync(key, bytes, StoreSetMode.Set, null);

        Assert.False((await tenant.GetAsync<Foo>("k")).HasValue);
    }

    [Fact]
    public void The_type_name_has_no_assembly_version_and_names_generic_arguments()
    {
        var name = TypeIdentity.NameOf(typeof(List<Dictionary<string, Foo[]>>));
        Assert.Equal("System.Collections.Generic.List`1[System.Collections.Generic.Dictionary`2[System.String,TenantCache.Tests.Engine.TypeIdentityTests+Foo[]]]", name);
        Assert.DoesNotContain("Version=", name, StringComparison.Ordinal);
        Assert.NotEqual(TypeIdentity.NameOf(typeof(int[,])), TypeIdentity.NameOf(typeof(int[])));
        Assert.NotEqual(TypeIdentity<List<int>>.Suffix, TypeIdentity<List<long>>.Suffix);
    }
}
