using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace TenantCache.Tests.Hybrid;

/// <summary>Tags and the <c>*</c> wildcard on the application-scoped cache.</summary>
public abstract partial class HybridContractTests
{
    [Fact]
    public async Task RemoveByTag_misses_the_entries_carrying_the_tag_and_only_those()
    {
        await App.SetAsync("a", "a", tags: ["red"]);
        await App.SetAsync("ab", "ab", tags: ["red", "blue"]);
        await App.SetAsync("b", "b", tags: ["blue"]);
        await App.SetAsync("none", "none");

        await App.RemoveByTagAsync("red");

        Assert.Equal("miss", await PeekAsync(App, "a"));
        Assert.Equal("miss", await PeekAsync(App, "ab"));
        Assert.Equal("b", await PeekAsync(App, "b"));
        Assert.Equal("none", await PeekAsync(App, "none"));
    }

    [Fact]
    public async Task Tags_given_to_GetOrCreate_are_carried_by_the_entry()
    {
        Assert.Equal("v", await App.GetOrCreateAsync("k", _ => ValueTask.FromResult("v"), tags: ["t"]));
        Assert.Equal("v", await PeekAsync(App, "k"));
        await App.RemoveByTagAsync("t");
        Assert.Equal("miss", await PeekAsync(App, "k"));
    }

    [Fact]
    public async Task RemoveByTag_of_many_tags_misses_entries_carrying_any_of_them()
    {
        await App.SetAsync("a", "a", tags: ["x"]);
        await App.SetAsync("b", "b", tags: ["y"]);
        await App.SetAsync("c", "c", tags: ["z"]);

        await App.RemoveByTagAsync((IEnumerable<string>)null!);
        await App.RemoveByTagAsync([]);
        await App.RemoveByTagAsync(["", " "]);
        Assert.Equal("a", await PeekAsync(App, "a"));

        await App.RemoveByTagAsync(["x", "y", "x", "unused"]);
        Assert.Equal("miss", await PeekAsync(App, "a"));
        Assert.Equal("miss", await PeekAsync(App, "b"));
        Assert.Equal("c", await PeekAsync(App, "c"));
    }

    [Fact]
    public async Task Blank_tags_to_RemoveByTag_do_nothing_as_in_Microsofts_HybridCache()
    {
        await App.SetAsync("k", "v", tags: ["t"]);
        await App.RemoveByTagAsync("");
        await App.RemoveByTagAsync("   ");
        await App.RemoveByTagAsync((string)null!);
        Assert.Equal("v", await PeekAsync(App, "k"));
    }

    [Fact]
    public async Task An_entry_may_not_carry_the_wildcard_or_a_blank_tag()
    {
        foreach (var bad in new[] { "*", "", " ", "\t", null! })
        {
            await Assert.ThrowsAsync<ArgumentException>("tags", async () => await App.SetAsync("k", "v", tags: ["ok", bad]));
            await Assert.ThrowsAsync<ArgumentException>("tags", async () => await App.GetOrCreateAsync("k", _ => ValueTask.FromResult("v"), tags: [bad]));
        }

        Assert.Equal("miss", await PeekAsync(App, "k")); // nothing was written
        await App.SetAsync("k", "v", tags: ["**", "a*", " * "]); // only the exact "*" is reserved
        Assert.Equal("v", await PeekAsync(App, "k"));
    }

    [Fact]
    public async Task Application_tags_are_TenantCache_application_tags_both_ways()
    {
        await App.SetAsync("k", "v", tags: ["product:42"]);
        await Cache.InvalidateTagAsync("product:42");
        Assert.Equal("miss", await PeekAsync(App, "k"));

        await Cache.Tenant("acme").SetAsync("k", "tenant entry", new CacheEntryOptions { Tags = ["product:7"] });
        await App.RemoveByTagAsync("product:7");
        Assert.False((await Cache.Tenant("acme").GetAsync<string>("k")).HasValue);
    }

    [Fact]
    public async Task Wildcard_on_the_application_cache_misses_every_entry_of_the_application_and_no_other()
    {
        await App.SetAsync("untagged", "v");
        await App.SetAsync("tagged", "v", tags: ["t"]);
        using (As("acme"))
        {
            await Tenant.SetAsync("k", "v");
        }

        await using var otherProvider = BuildProvider("hy-other-" + Guid.NewGuid().ToString("N")[..8]);
        var other = otherProvider.GetRequiredKeyedService<HybridCache>("app");
        await other.SetAsync("untagged", "other app");

        await App.RemoveByTagAsync("*");

        Assert.Equal("miss", await PeekAsync(App, "untagged"));
        Assert.Equal("miss", await PeekAsync(App, "tagged"));
        using (As("acme"))
        {
            Assert.Equal("miss", await PeekAsync(Tenant, "k"));
        }

        Assert.Equal("other app", await PeekAsync(other, "untagged"));
    }

    [Fact]
    public async Task Wildcard_among_many_tags_invalidates_the_scope()
    {
        await App.SetAsync("untagged", "v");
        await App.RemoveByTagAsync(["x", "*"]);
        Assert.Equal("miss", await PeekAsync(App, "untagged"));
    }
}
