namespace TenantCache.Tests.Hybrid;

/// <summary>Removal of one key and of many.</summary>
public abstract partial class HybridContractTests
{
    [Fact]
    public async Task RemoveAsync_removes_one_key_and_leaves_others()
    {
        await App.SetAsync("k", "v");
        await App.SetAsync("other", "w");
        await App.RemoveAsync("unrelated");
        Assert.Equal("v", await PeekAsync(App, "k"));

        await App.RemoveAsync("k");
        Assert.Equal("miss", await PeekAsync(App, "k"));
        Assert.Equal("w", await PeekAsync(App, "other"));
    }

    [Fact]
    public async Task RemoveAsync_of_many_keys_removes_each_and_null_or_empty_removes_nothing()
    {
        foreach (var key in new[] { "a", "b", "c" })
        {
            await App.SetAsync(key, key);
        }

        await App.RemoveAsync((IEnumerable<string>)null!);
        await App.RemoveAsync([]);
        Assert.Equal("a", await PeekAsync(App, "a"));

        await App.RemoveAsync(["a", "b", "a", "unrelated"]);
        Assert.Equal("miss", await PeekAsync(App, "a"));
        Assert.Equal("miss", await PeekAsync(App, "b"));
        Assert.Equal("c", await PeekAsync(App, "c"));
    }
}
