using System.Text.Json;
using System.Text.Json.Serialization;

namespace TenantCache.Benchmarks.Fleet;

/// <summary>The JSON form of worker results and of the <c>--json</c> report.</summary>
internal static class FleetJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };
}
