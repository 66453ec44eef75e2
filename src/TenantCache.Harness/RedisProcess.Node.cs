namespace TenantCache.Harness;

// What the fault injectors see of a Redis process (ILocalServer).
public sealed partial class RedisProcess : ILocalServer
{
    /// <inheritdoc/>
    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;
}
