using System.Collections.Concurrent;
using System.Diagnostics;

namespace TenantCache.AspNetCore.Internal;

/// <summary>
/// The first missed lookup of each key since it was last stored, for the request that computes the
/// response without having run the lookup itself: the middleware coalesces concurrent requests of a
/// key into one lookup (run in the first request) and one computation (run in whichever request gets
/// there first), so the computing request may hold no tokens of its own.
/// </summary>
/// <remarks>
/// Safe for I1: a request may use a lookup only if that lookup began before the request reached the
/// output cache, so its tokens were read before the request's computation began. The first lookup
/// is kept (not the latest): an older token is always safe, at worst the stored response is dead.
/// Bounded: entries older than <see cref="MaxAge"/> are not used, and past <see cref="Capacity"/>
/// keys the map is cleared (a computing request then finds none, and its response is not stored).
/// </remarks>
internal sealed class SharedLookups
{
    public const int Capacity = 10_000;

    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, PendingOutputWrite> _firstByKey = new(StringComparer.Ordinal);

    public void Offer(PendingOutputWrite lookup)
    {
        if (_firstByKey.TryGetValue(lookup.Key, out var first) && Stopwatch.GetElapsedTime(first.LookupStarted) >= MaxAge)
        {
            _firstByKey.TryUpdate(lookup.Key, lookup, first);
            return;
        }

        if (_firstByKey.Count >= Capacity)
        {
            _firstByKey.Clear();
        }

        _firstByKey.TryAdd(lookup.Key, lookup);
    }

    /// <summary>A lookup of <paramref name="key"/> that began before <paramref name="requestStarted"/>, or <see langword="null"/>.</summary>
    public PendingOutputWrite? For(string key, long? requestStarted) =>
        requestStarted is { } started
        && _firstByKey.TryGetValue(key, out var lookup)
        && lookup.LookupStarted <= started
        && Stopwatch.GetElapsedTime(lookup.LookupStarted) < MaxAge
            ? lookup
            : null;

    /// <summary>The key was stored: the next miss of it starts afresh.</summary>
    public void Stored(string key) => _firstByKey.TryRemove(key, out _);
}
