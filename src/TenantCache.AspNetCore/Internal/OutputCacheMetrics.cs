using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TenantCache.AspNetCore.Internal;

/// <summary>Instruments of the output-cache integration, on the meter <c>TenantCache</c>, tagged by application and reason.</summary>
internal static class OutputCacheMetrics
{
    private static readonly Meter s_meter = new("TenantCache");
    private static readonly Counter<long> s_notStored = s_meter.CreateCounter<long>(
        "tenantcache.output_cache.not_stored", description: "Responses the output cache asked to store that were not stored (too large, too many tags).");

    private static readonly Counter<long> s_noTenant = s_meter.CreateCounter<long>(
        "tenantcache.output_cache.no_tenant", description: "Requests of a per-tenant policy that had no tenant, so were not cached.");

    public static void NotStored(string application, string reason) =>
        s_notStored.Add(1, new TagList { { "application", application }, { "reason", reason } });

    public static void NoTenant() => s_noTenant.Add(1);
}
