namespace TenantCache.Cli.Check;

/// <summary>Relative weights of the checker's operations.</summary>
internal sealed record OperationWeights(
    int Get = 400,
    int Set = 180,
    int GetOrCreate = 250,
    int Remove = 15,
    int InvalidateSubScope = 15,
    int InvalidateTenant = 8,
    int InvalidateApplication = 2,
    int InvalidateTag = 10)
{
    public int Total => Get + Set + GetOrCreate + Remove + InvalidateSubScope + InvalidateTenant + InvalidateApplication + InvalidateTag;
}
