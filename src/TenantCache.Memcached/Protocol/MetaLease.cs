namespace TenantCache.Memcached.Protocol;

/// <summary>The lease flags of an <c>mg</c>; the default asks for none.</summary>
/// <param name="VivifyTtl"><c>N</c>: on a miss, create an empty placeholder living this wire TTL and win its lease; 0 for none.</param>
/// <param name="RecacheBelow"><c>R</c>: a hit whose remaining TTL is below this many seconds wins an early-refresh lease; 0 for none.</param>
internal readonly record struct MetaLease(long VivifyTtl, long RecacheBelow);
