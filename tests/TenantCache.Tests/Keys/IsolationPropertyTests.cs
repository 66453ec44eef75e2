using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using TenantCache.Stores;

namespace TenantCache.Tests.Keys;

/// <summary>
/// I2 end to end: through the public API and one shared store, every distinct hostile
/// (application, tenant, scopes, key) reads back exactly its own value.
/// </summary>
public sealed class IsolationPropertyTests
{
    private static ICacheScope Navigate(ApplicationCache app, string[] path)
    {
        if (path.Length == 0)
        {
            return app;
        }

        var scope = app.Tenant(path[0]);
        foreach (var name in path.Skip(1))
        {
            scope = scope.Scope(name);
        }

        return scope;
    }

    private static Identity[] Distinct(Identity[] ids)
    {
        var kept = new List<Identity>();
        foreach (var id in ids)
        {
            if (!kept.Any(k => k.SameAs(id)))
            {
                kept.Add(id);
            }
        }

        return [.. kept];
    }

    private static void WriteThenReadEach(Identity[] candidates)
    {
        var ids = Distinct(candidates);
        var store = new MemoryCacheStore();
        var apps = new Dictionary<string, ApplicationCache>(StringComparer.Ordinal);
        ApplicationCache AppOf(string name)
        {
            if (!apps.TryGetValue(name, out var app))
            {
                app = new ApplicationCache(store, new TenantCacheOptions { Application = name, ThrowOnStoreErrors = true });
                apps.Add(name, app);
            }

            return app;
        }

        for (var i = 0; i < ids.Length; i++)
        {
            Navigate(AppOf(ids[i].Application), ids[i].Path).SetAsync(ids[i].Key, "value #" + i).AsTask().GetAwaiter().GetResult();
        }

        for (var i = 0; i < ids.Length; i++)
        {
            var result = Navigate(AppOf(ids[i].Application), ids[i].Path).GetAsync<string>(ids[i].Key).AsTask().GetAwaiter().GetResult();
            Assert.True(result.HasValue, $"{ids[i]} missed its own value (among {ids.Length} identities)");
            Assert.True(result.Value == "value #" + i, $"{ids[i]} read {result.Value}, written for {(result.Value.StartsWith("value #", StringComparison.Ordinal) ? ids[int.Parse(result.Value[7..], System.Globalization.CultureInfo.InvariantCulture)].ToString() : "?")}");
        }
    }

    [Property(Arbitrary = [typeof(HostileArbitraries)], MaxTest = 500)]
    public void Every_distinct_identity_reads_back_exactly_its_own_value(Identity[] ids) => WriteThenReadEach(ids);

    [Property(Arbitrary = [typeof(HostileArbitraries)], MaxTest = 500)]
    public void Identities_differing_only_by_where_a_separator_falls_stay_isolated((Identity, Identity) pair) =>
        WriteThenReadEach([pair.Item1, pair.Item2]);

    [Fact]
    public void Separator_and_encoding_look_alikes_stay_isolated() => WriteThenReadEach(
    [
        new("app", ["a/b"], "c"), new("app", ["a", "b"], "c"), new("app", ["a"], "b/c"), new("app", ["a"], "b:c"),
        new("app", [], "a:c"), new("app:d", [], "c"), new("app", [], "d:c"), new("app%3Ad", [], "c"), new("app", ["a:b"], "c"),
        new("app", ["\uD800"], "k"), new("app", ["\uFFFD"], "k"), new("app", ["\uDC00"], "k"), new("app", ["\u00E9"], "k"),
        new("app", ["e\u0301"], "k"), new("app", ["t"], "\uD800"), new("app", ["t"], "\uFFFD"), new("app", ["t"], "%ED%A0%80"),
        new("app", ["t"], new string('k', 240)), new("app", ["t"], new string('k', 241)), new("app", ["t"], new string('\uD800', 5000)),
        new("app", ["t"], new string('\uD800', 5000) + "x"), new(new string('a', 300), ["t"], "k"), new(new string('a', 301), ["t"], "k"),
        new("app", ["t", "s"], "k"), new("app", ["t"], "s:k"), new("app", ["t/s"], "k"), new("app", ["t", "s", "u", "v"], "k"),
        new("APP", ["t"], "k"), new("app", ["T"], "k"), new("app", ["t"], "K"), new("app", ["t"], "k "), new("app", ["t "], "k"),
        new("app", ["t"], "k\0"), new("app", ["t"], "\0k"), new("app", ["t"], "%"), new("app", ["t"], "%25"), new("app", ["t"], "#"),
    ]);
}
