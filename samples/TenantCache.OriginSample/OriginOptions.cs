namespace TenantCache.OriginSample;

/// <summary>Settings of the sample service itself (section <c>Origin</c>).</summary>
public sealed class OriginOptions
{
    /// <summary>The name this instance puts in computation ids; default: a random one per process.</summary>
    public string? InstanceName { get; set; }

    /// <summary>How long computing a tenant's info takes (the "database"), in milliseconds. Default 0.</summary>
    public int ComputeDelayMilliseconds { get; set; }
}
