using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using TenantCache.Internal;
using TenantCache.Stores;
using TenantCache.Tests.Support;

namespace TenantCache.Tests.Engine;

/// <summary>
/// The <see cref="TenantCacheDiagnostics.ActivitySourceName"/> activities. One class, so its tests
/// never run in parallel with each other: a listener makes the source "listened to" process-wide.
/// </summary>
public sealed class TracingTests
{
    private const string Secret = "tenant-secret-7319";

    [Fact]
    public async Task Every_public_call_records_one_internal_activity_with_its_outcome_and_no_ids()
    {
        using var recorder = new Recorder("traced");
        var app = new ApplicationCache(new MemoryCacheStore(), new TenantCacheOptions { Application = "traced" });
        var tenant = app.Tenant(Secret);

        await tenant.GetAsync<string>(Secret + "-key");
        await tenant.SetAsync(Secret + "-key", "v");
        await tenant.GetAsync<string>(Secret + "-key");
        await tenant.GetOrCreateAsync(Secret + "-other", _ => ValueTask.FromResult("computed"));
        await tenant.GetOrCreateWithOutcomeAsync(Secret + "-other", _ => ValueTask.FromResult("unused"));
        await tenant.RemoveAsync(Secret + "-key");
        await tenant.InvalidateAsync();
        await app.InvalidateTagAsync(Secret + "-tag");
        await app.InvalidateAsync();

        var activities = recorder.Stopped;
        Assert.Equal(
            ["tenantcache.get", "tenantcache.set", "tenantcache.get", "tenantcache.get_or_create", "tenantcache.get_or_create",
             "tenantcache.remove", "tenantcache.invalidate", "tenantcache.invalidate_tag", "tenantcache.invalidate"],
            activities.Select(a => a.OperationName));
        Assert.All(activities, a =>
        {
            Assert.Equal(ActivityKind.Internal, a.Kind);
            Assert.Equal(ActivityStatusCode.Unset, a.Status);
            Assert.Equal("traced", a.GetTagItem("tenantcache.application"));
            Assert.Null(a.GetTagItem("tenantcache.scope.depth"));
            Assert.DoesNotContain(a.TagObjects, t => t.Value?.ToString()?.Contains(Secret, StringComparison.Ordinal) == true);
            Assert.DoesNotContain(Secret, a.DisplayName, StringComparison.Ordinal);
        });
        Assert.Equal([false, true, false, true], activities.Take(5).Where(a => a.OperationName != "tenantcache.set").Select(a => (bool)a.GetTagItem("tenantcache.hit")!));
        Assert.Equal(["computed", "hit"], activities.Where(a => a.OperationName == "tenantcache.get_or_create").Select(a => (string)a.GetTagItem("tenantcache.outcome")!));
    }

    [Fact]
    public async Task Activities_nest_under_the_callers_and_the_callers_activity_is_current_again_afterwards()
    {
        using var recorder = new Recorder("nested");
        using var parentSource = new ActivitySource("TenantCache.Tests.Parent");
        using var parentListener = ListenTo(parentSource.Name);
        var app = new ApplicationCache(new MemoryCacheStore(), new TenantCacheOptions { Application = "nested" });

        using var parent = parentSource.StartActivity("request");
        Activity? insideFactory = null;
        await app.Tenant("t").GetOrCreateAsync("k", _ =>
        {
            insideFactory = Activity.Current;
            return ValueTask.FromResult(1);
        });
        await app.Tenant("t").RemoveAsync("k");

        Assert.Same(parent, Activity.Current);
        Assert.Equal(2, recorder.Stopped.Count);
        Assert.All(recorder.Stopped, a => Assert.Equal(parent!.SpanId, a.ParentSpanId));
        Assert.Same(recorder.Stopped[0], insideFactory); // the factory runs inside get_or_create; no nested get/set activities
    }

    [Fact]
    public async Task Store_failures_mark_the_activity_as_an_error_even_when_the_call_fails_open()
    {
        using var recorder = new Recorder("failing");
        var app = new ApplicationCache(new DownStore(), new TenantCacheOptions { Application = "failing" });

        Assert.False((await app.Tenant("t").GetAsync<string>("k")).HasValue);
        await app.Tenant("t").SetAsync("k", "v");
        await Assert.ThrowsAsync<CacheInvalidationException>(async () => await app.Tenant("t").InvalidateAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await app.Tenant("t").GetOrCreateAsync<int>("k", _ => throw new InvalidOperationException("factory")));

        Assert.All(recorder.Stopped, a => Assert.Equal(ActivityStatusCode.Error, a.Status));
        Assert.Equal(
            [typeof(CacheStoreException).FullName, typeof(CacheStoreException).FullName, typeof(CacheInvalidationException).FullName, typeof(InvalidOperationException).FullName],
            recorder.Stopped.Select(a => (string?)a.GetTagItem("error.type")));
    }

    [Fact]
    public async Task The_scope_depth_is_traced_only_when_asked_for()
    {
        using var recorder = new Recorder("depth");
        var app = new ApplicationCache(new MemoryCacheStore(), new TenantCacheOptions { Application = "depth", TraceScopeDepth = true });

        await app.GetAsync<int>("k");
        await app.Tenant("t").GetAsync<int>("k");
        await app.Tenant("t").Scope("region").InvalidateAsync();

        Assert.Equal([0, 1, 2], recorder.Stopped.Select(a => (int)a.GetTagItem("tenantcache.scope.depth")!));
    }

    [Fact]
    public async Task With_nobody_listening_no_activity_is_created_and_a_read_allocates_no_activity()
    {
        Assert.False(CacheActivities.Source.HasListeners());
        var store = new MemoryCacheStore();
        var options = new TenantCacheOptions { Application = "quiet" };
        var tenant = new ApplicationCache(store, options).Tenant("t");
        await tenant.SetAsync("k", "v");

        Activity? insideFactory = new("sentinel");
        await tenant.GetOrCreateAsync("other", _ =>
        {
            insideFactory = Activity.Current;
            return ValueTask.FromResult(1);
        });
        Assert.Null(insideFactory);

        var engine = new CacheEngine(store, options, NullLogger.Instance, TimeProvider.System);
        var path = engine.Root.Child("t");
        var direct = Allocated(() =>
        {
            var canonical = path.CanonicalDataKey("k");
            Assert.True(Completed(engine.ReadAsync<string>(path, canonical, KeyEncoder.Bound(canonical), levelTokens: null, CancellationToken.None)).Result.HasValue);
        });
        var untraced = Allocated(() => Assert.True(Completed(tenant.GetAsync<string>("k")).HasValue));
        long traced;
        using (new Recorder("quiet"))
        {
            traced = Allocated(() => Assert.True(Completed(tenant.GetAsync<string>("k")).HasValue));
        }

        // The public read costs what the engine's costs, plus at most the one async frame a Debug build
        // allocates (Release: none); an Activity with its tags costs far more, as the traced read shows.
        Assert.InRange(untraced - direct, 0, 256);
        Assert.True(traced - untraced > 400, $"traced {traced} B, untraced {untraced} B, engine {direct} B per read");
    }

    /// <summary>The result of a call that completed synchronously (the memory store's do).</summary>
    private static T Completed<T>(ValueTask<T> call)
    {
        Assert.True(call.IsCompletedSuccessfully);
        return call.Result;
    }

    private static long Allocated(Action read)
    {
        for (var i = 0; i < 10; i++)
        {
            read(); // warm up: statics, pools, tiered JIT
        }

        const int reads = 100;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < reads; i++)
        {
            read();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / reads;
    }

    private static ActivityListener ListenTo(string sourceName)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == sourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    /// <summary>Records the stopped TenantCache activities of one application (other test classes run in parallel).</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly ConcurrentQueue<Activity> _stopped = new();
        private readonly ActivityListener _listener;

        public Recorder(string application)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = s => s.Name == TenantCacheDiagnostics.ActivitySourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = a =>
                {
                    if ((string?)a.GetTagItem("tenantcache.application") == application)
                    {
                        _stopped.Enqueue(a);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IReadOnlyList<Activity> Stopped => [.. _stopped];

        public void Dispose() => _listener.Dispose();
    }
}
