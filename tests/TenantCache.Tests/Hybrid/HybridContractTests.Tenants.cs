using TenantCache.Tenancy;

namespace TenantCache.Tests.Hybrid;

/// <summary>The tenant-scoped cache: isolation of entries, tags and the wildcard; no tenant, no cache.</summary>
public abstract partial class HybridContractTests
{
    [Fact]
    public async Task One_singleton_serves_each_tenant_its_own_entries()
    {
        using (As("a"))
        {
            await Tenant.SetAsync("k", "for a");
        }

        using (As("b"))
        {
            Assert.Equal("miss", await PeekAsync(Tenant, "k"));
            await Tenant.SetAsync("k", "for b");
        }

        using (As("a"))
        {
            Assert.Equal("for a", await PeekAsync(Tenant, "k"));
        }

        Assert.Equal("miss", await PeekAsync(App, "k")); // never the application's entry either
    }

    [Fact]
    public async Task A_tenants_tag_and_wildcard_leave_other_tenants_and_the_application()
    {
        await App.SetAsync("k", "app", tags: ["x"]);
        foreach (var t in new[] { "a", "b" })
        {
            using (As(t))
            {
                await Tenant.SetAsync("k", t, tags: ["x"]);
                await Tenant.SetAsync("untagged", t);
            }
        }

        using (As("a"))
        {
            await Tenant.RemoveByTagAsync("x");
            Assert.Equal("miss", await PeekAsync(Tenant, "k"));
            Assert.Equal("a", await PeekAsync(Tenant, "untagged"));
        }

        using (As("b"))
        {
            Assert.Equal("b", await PeekAsync(Tenant, "k"));
        }

        Assert.Equal("app", await PeekAsync(App, "k"));

        using (As("a"))
        {
            await Tenant.RemoveByTagAsync("*");
            Assert.Equal("miss", await PeekAsync(Tenant, "untagged"));
        }

        using (As("b"))
        {
            Assert.Equal("b", await PeekAsync(Tenant, "untagged"));
        }

        Assert.Equal("app", await PeekAsync(App, "k"));
    }

    [Fact]
    public async Task Tenant_tags_are_private_so_the_applications_tag_of_the_same_name_leaves_them()
    {
        using (As("a"))
        {
            await Tenant.SetAsync("k", "a", tags: ["x"]);
        }

        await App.RemoveByTagAsync("x");
        await Cache.InvalidateTagAsync("x");

        using (As("a"))
        {
            Assert.Equal("a", await PeekAsync(Tenant, "k"));
        }

        await App.RemoveByTagAsync("*"); // the application's wildcard does reach every tenant
        using (As("a"))
        {
            Assert.Equal("miss", await PeekAsync(Tenant, "k"));
        }
    }

    [Fact]
    public async Task Hostile_tenant_ids_and_tags_never_reach_one_another()
    {
        string[] ids =
        [
            "a", "a/b", "a:b", "b", "a%2Fb", "a%3Ab", "1:a", "\u0000", "a\nb", "\u0001x", "%", "/", ":", "x", "\uD800",
            new string('t', 10_240),
        ];
        foreach (var id in ids)
        {
            using (As(id))
            {
                // "a" with tag "b:x" and "a:b" with tag "x" would meet if tenant and tag were simply joined.
                await Tenant.SetAsync("k", "tenant=" + id, tags: ["x", "b:x"]);
            }
        }

        for (var i = 0; i < ids.Length; i++)
        {
            using (As(ids[i]))
            {
                Assert.Equal("tenant=" + ids[i], await PeekAsync(Tenant, "k"));
                await Tenant.RemoveByTagAsync(i % 2 == 0 ? "x" : "b:x");
                Assert.Equal("miss", await PeekAsync(Tenant, "k"));
            }

            foreach (var later in ids.Skip(i + 1))
            {
                using (As(later))
                {
                    Assert.Equal("tenant=" + later, await PeekAsync(Tenant, "k"));
                }
            }
        }
    }

    [Fact]
    public async Task Every_call_without_a_current_tenant_throws_and_never_falls_back_to_the_application()
    {
        await App.SetAsync("k", "app");
        Assert.Null(AmbientTenant.Current);

        await Assert.ThrowsAsync<MissingTenantException>(async () => await Tenant.GetOrCreateAsync("k", _ => ValueTask.FromResult("v")));
        await Assert.ThrowsAsync<MissingTenantException>(async () => await Tenant.GetOrCreateAsync("k", 1, (_, _) => ValueTask.FromResult("v")));
        await Assert.ThrowsAsync<MissingTenantException>(async () => await Tenant.GetOrCreateAsync("k".AsSpan(), 1, (_, _) => ValueTask.FromResult("v")));
        await Assert.ThrowsAsync<MissingTenantException>(async () => await Tenant.SetAsync("k", "v"));
        await Assert.ThrowsAsync<MissingTenantException>(async () => await Tenant.RemoveAsync("k"));
        await Assert.ThrowsAsync<MissingTenantException>(async () => await Tenant.RemoveAsync(["k"]));
        await Assert.ThrowsAsync<MissingTenantException>(async () => await Tenant.RemoveByTagAsync("*"));
        await Assert.ThrowsAsync<MissingTenantException>(async () => await Tenant.RemoveByTagAsync(["x"]));

        Assert.Equal("app", await PeekAsync(App, "k"));
    }

    [Fact]
    public async Task A_value_computed_while_the_tenant_was_invalidated_is_never_served_afterwards()
    {
        using var tenant = As("a");
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = Tenant.GetOrCreateAsync("k", async ct =>
        {
            started.SetResult();
            await release.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
            return "old";
        }).AsTask();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Tenant.RemoveByTagAsync("*");
        release.SetResult();

        Assert.Equal("old", await slow);
        Assert.Equal("miss", await PeekAsync(Tenant, "k"));
    }
}
