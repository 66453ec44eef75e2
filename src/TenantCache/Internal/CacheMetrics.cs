using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TenantCache.Internal;

/// <summary>
/// The engine's instruments, on the meter <c>TenantCache</c>. Tagged with the application only;
/// per-tenant figures would let cardinality grow with the tenant count.
/// </summary>
internal static class CacheMetrics
{
    public const string MeterName = TenantCacheDiagnostics.MeterName;

    private static readonly Meter s_meter = new(MeterName);
    private static readonly Counter<long> s_hits = s_meter.CreateCounter<long>("tenantcache.hits", description: "Reads answered from the cache.");
    private static readonly Counter<long> s_misses = s_meter.CreateCounter<long>("tenantcache.misses", description: "Reads that found no valid entry.");
    private static readonly Counter<long> s_writes = s_meter.CreateCounter<long>("tenantcache.writes", description: "Entries stored.");
    private static readonly Counter<long> s_skippedWrites = s_meter.CreateCounter<long>("tenantcache.writes.skipped", description: "Writes not stored because of a store failure, an unavailable token or a value too large.");
    private static readonly Counter<long> s_storeErrors = s_meter.CreateCounter<long>("tenantcache.store.errors", description: "Store operations that failed.");
    private static readonly Counter<long> s_rejected = s_meter.CreateCounter<long>("tenantcache.entries.rejected", description: "Stored values that were not valid envelopes for the identity read.");
    private static readonly Counter<long> s_invalidations = s_meter.CreateCounter<long>("tenantcache.invalidations", description: "Scopes and tags invalidated.");

    private static readonly Counter<long> s_missTokensForgotten = s_meter.CreateCounter<long>(
        "tenantcache.miss_tokens.forgotten", description: "Tokens of a recent miss forgotten inside their window because the memory was full: a following plain set of that key is stamped with the tokens of its own time.");

    private static readonly Counter<long> s_tokensShared = s_meter.CreateCounter<long>(
        "tenantcache.tokens.shared", description: "Version tokens a read took from another caller's fetch instead of sending its own.");

    private static readonly Counter<long> s_tokensReread = s_meter.CreateCounter<long>(
        "tenantcache.tokens.reread", description: "Get-or-create reads that found an entry stamped with other tokens than the ones they reused, and read the tokens afresh before calling it dead.");

    private static readonly Counter<long> s_tokensReused = s_meter.CreateCounter<long>(
        "tenantcache.tokens.reused", description: "Reads whose version tokens were all known inside their reuse window: only the data key was read.");

    private static readonly Counter<long> s_writesRestamped = s_meter.CreateCounter<long>(
        "tenantcache.writes.restamped", description: "Writes sent with the last known tokens that a parallel token read showed stale, and were written again.");

    private static readonly Counter<long> s_localCopyHits = s_meter.CreateCounter<long>(
        "tenantcache.local_copy.hits", description: "Hits served from the in-process copy: the store sent the item's CAS only.");

    private static readonly Counter<long> s_localCopyStored = s_meter.CreateCounter<long>(
        "tenantcache.local_copy.stored", description: "Values copied into the in-process copy (first read, or the stored entry changed).");

    private static readonly Counter<long> s_localCopyEvicted = s_meter.CreateCounter<long>(
        "tenantcache.local_copy.evicted", description: "In-process copies dropped to stay within LocalCopy.MaxBytes.");

    public static void LocalCopyHit(string application) => s_localCopyHits.Add(1, new TagList { { "application", application } });

    public static void LocalCopyStored(string application) => s_localCopyStored.Add(1, new TagList { { "application", application } });

    public static void LocalCopiesEvicted(string application, int count) => s_localCopyEvicted.Add(count, new TagList { { "application", application } });

    public static void TokenShared(string application) => s_tokensShared.Add(1, new TagList { { "application", application } });

    public static void TokensReread(string application) => s_tokensReread.Add(1, new TagList { { "application", application } });

    public static void TokensReused(string application) => s_tokensReused.Add(1, new TagList { { "application", application } });

    public static void WriteRestamped(string application) => s_writesRestamped.Add(1, new TagList { { "application", application } });

    public static void MissTokensForgotten(string application) => s_missTokensForgotten.Add(1, new TagList { { "application", application } });

    public static void Hit(string application) => s_hits.Add(1, new TagList { { "application", application } });

    public static void Miss(string application) => s_misses.Add(1, new TagList { { "application", application } });

    public static void Write(string application) => s_writes.Add(1, new TagList { { "application", application } });

    public static void SkippedWrite(string application) => s_skippedWrites.Add(1, new TagList { { "application", application } });

    public static void StoreError(string application) => s_storeErrors.Add(1, new TagList { { "application", application } });

    public static void Rejected(string application) => s_rejected.Add(1, new TagList { { "application", application } });

    public static void Invalidation(string application) => s_invalidations.Add(1, new TagList { { "application", application } });
}
