using System.Runtime.CompilerServices;

namespace TenantCache.Internal;

/// <summary>
/// The traced paths, taken only while somebody listens to <see cref="CacheActivities.Source"/>. Each
/// starts its activity inside the async method that stops it, so <c>Activity.Current</c> is restored
/// for the caller however the call completes.
/// </summary>
internal static partial class ScopeOperations
{
    private static async ValueTask TracedAsync(
        string name, CacheEngine engine, ScopePath path, string storeKey, Func<CacheEngine, string, CancellationToken, ValueTask> operation, CancellationToken cancellationToken)
    {
        using var activity = CacheActivities.Start(name, engine, path);
        try
        {
            await operation(engine, storeKey, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (CacheActivities.Failed(activity, ex))
        {
            throw; // never reached: the filter only records
        }
    }

    private static async ValueTask<T> TracedGetOrCreateAsync<T>(
        CacheEngine engine, ScopePath path, string key, Func<CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options, StrongBox<GetOrCreateOutcome> outcome, CancellationToken cancellationToken)
    {
        using var activity = CacheActivities.Start(CacheActivities.GetOrCreate, engine, path);
        try
        {
            var value = await engine.GetOrCreateAsync(path, key, factory, options, outcome, cancellationToken).ConfigureAwait(false);
            CacheActivities.Outcome(activity, outcome.Value);
            return value;
        }
        catch (Exception ex) when (CacheActivities.Failed(activity, ex))
        {
            throw;
        }
    }
}
