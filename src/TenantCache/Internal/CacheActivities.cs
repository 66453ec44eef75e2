using System.Diagnostics;

namespace TenantCache.Internal;

/// <summary>
/// The activities of <see cref="TenantCacheDiagnostics.ActivitySourceName"/>: kind Internal (a call
/// may make several store round trips, or none), tagged with the application and, when
/// <see cref="TenantCacheOptions.TraceScopeDepth"/> is set, the scope depth. Never keys, tenant ids,
/// scope names or tags: they can be personal data and would explode cardinality.
/// </summary>
internal static class CacheActivities
{
    public const string Get = "tenantcache.get";
    public const string Set = "tenantcache.set";
    public const string GetOrCreate = "tenantcache.get_or_create";
    public const string Remove = "tenantcache.remove";
    public const string Invalidate = "tenantcache.invalidate";
    public const string InvalidateTag = "tenantcache.invalidate_tag";

    public const string ApplicationTag = "tenantcache.application";
    public const string ScopeDepthTag = "tenantcache.scope.depth";
    public const string HitTag = "tenantcache.hit";
    public const string OutcomeTag = "tenantcache.outcome";
    public const string ErrorTypeTag = "error.type";

    private static readonly object s_true = true;
    private static readonly object s_false = false;

    public static readonly ActivitySource Source = new(
        TenantCacheDiagnostics.ActivitySourceName,
        typeof(CacheActivities).Assembly.GetName().Version?.ToString());

    /// <summary>Whether anybody listens; when not, callers take their untraced path.</summary>
    public static bool Enabled => Source.HasListeners();

    /// <summary>Starts an activity (null when nobody listens or it is not sampled). Call it inside the async method that stops it.</summary>
    public static Activity? Start(string name, CacheEngine engine, ScopePath path)
    {
        var activity = Source.StartActivity(name, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(ApplicationTag, engine.Application);
            if (engine.Options.TraceScopeDepth)
            {
                activity.SetTag(ScopeDepthTag, path.Names.Length);
            }
        }

        return activity;
    }

    public static void Hit(Activity? activity, bool hit) => activity?.SetTag(HitTag, hit ? s_true : s_false);

    public static void Outcome(Activity? activity, GetOrCreateOutcome outcome)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(HitTag, outcome == GetOrCreateOutcome.Hit ? s_true : s_false);
        activity.SetTag(OutcomeTag, outcome switch
        {
            GetOrCreateOutcome.Hit => "hit",
            GetOrCreateOutcome.Computed => "computed",
            GetOrCreateOutcome.Stale => "stale",
            GetOrCreateOutcome.FailSafe => "failsafe",
            _ => "joined",
        });
    }

    /// <summary>Marks the activity failed; returns false so it can sit in an exception filter without catching.</summary>
    public static bool Failed(Activity? activity, Exception exception)
    {
        if (activity is not null)
        {
            activity.SetTag(ErrorTypeTag, exception.GetType().FullName);
            activity.SetStatus(ActivityStatusCode.Error);
        }

        return false;
    }

    /// <summary>
    /// A store failure the engine absorbed (I5: a miss or a skipped write): the current operation's
    /// activity, if it is ours, is marked failed although the call returns normally.
    /// </summary>
    public static void StoreFailed(Exception exception)
    {
        if (Enabled && Activity.Current is { } current && ReferenceEquals(current.Source, Source))
        {
            Failed(current, exception);
        }
    }
}
