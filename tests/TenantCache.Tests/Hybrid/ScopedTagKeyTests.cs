using FsCheck.Xunit;
using TenantCache.Internal;
using TenantCache.Tests.Keys;

namespace TenantCache.Tests.Hybrid;

/// <summary>
/// The engine's scope-private tag keys (used by the tenant-scoped HybridCache) over hostile names: a
/// (scope, tag) pair owns its key alone, never meets an application tag's key, and every key is a
/// valid memcached key (I2, I6).
/// </summary>
public sealed class ScopedTagKeyTests
{
    private static ScopePath ScopeOf(string application, IEnumerable<string> path)
    {
        var scope = ScopePath.ForApplication(application);
        foreach (var name in path)
        {
            scope = scope.Child(name);
        }

        return scope;
    }

    [Property(Arbitrary = [typeof(HostileArbitraries)], MaxTest = 800)]
    public void Distinct_scope_and_tag_pairs_never_share_a_key_nor_meet_application_tags(Identity[] ids)
    {
        var scoped = new Dictionary<string, string>(StringComparer.Ordinal);
        var application = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var tag = string.IsNullOrWhiteSpace(id.Key) ? "tag" : id.Key;
            application.Add(ScopePath.ForApplication(id.Application).TagVersionKey(tag));
            for (var depth = 1; depth <= id.Path.Length; depth++)
            {
                var key = ScopeOf(id.Application, id.Path[..depth]).ScopedTagVersionKey(tag);
                Assert.True(KeyEncoder.IsValidStoreKey(key), $"not a valid store key: {Identity.Show(key)}");
                var owner = new Identity(id.Application, id.Path[..depth], tag).ToString();
                if (scoped.TryGetValue(key, out var previous))
                {
                    Assert.Equal(previous, owner);
                }
                else
                {
                    scoped.Add(key, owner);
                }
            }
        }

        Assert.False(application.Overlaps(scoped.Keys), "a scope-private tag key equals an application tag key");
    }

    [Fact]
    public void Tenant_and_tag_cut_at_another_place_give_another_key()
    {
        var app = ScopePath.ForApplication("a");
        Assert.NotEqual(app.Child("a").ScopedTagVersionKey("b:x"), app.Child("a:b").ScopedTagVersionKey("x"));
        Assert.NotEqual(app.Child("a").ScopedTagVersionKey("b/x"), app.Child("a/b").ScopedTagVersionKey("x"));
        Assert.NotEqual(app.Child("a").Child("b").ScopedTagVersionKey("x"), app.Child("a/b").ScopedTagVersionKey("x"));
        Assert.NotEqual(app.TagVersionKey("a:x"), app.Child("a").ScopedTagVersionKey("x"));
        Assert.Equal(KeyEncoder.MaxKeyLength, app.Child(new string('t', 10_240)).ScopedTagVersionKey("x").Length);
    }

    [Fact]
    public void Plans_with_scoped_tags_stamp_the_scopes_own_tag_keys()
    {
        var engine = new CacheEngine(new TenantCache.Stores.MemoryCacheStore(), new TenantCacheOptions { Application = "a" }, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, TimeProvider.System);
        var tenant = engine.Root.Child("t");
        var options = new CacheEntryOptions { Tags = ["x"] };

        Assert.Equal([tenant.ScopedTagVersionKey("x")], engine.Plan(tenant, options, scopedTags: true).TagKeys);
        Assert.Equal([engine.Root.TagVersionKey("x")], engine.Plan(tenant, options).TagKeys);
    }
}
