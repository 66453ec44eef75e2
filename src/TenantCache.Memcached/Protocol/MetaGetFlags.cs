namespace TenantCache.Memcached.Protocol;

/// <summary>What an <c>mg</c> asks the server to return.</summary>
[Flags]
internal enum MetaGetFlags
{
    /// <summary>Nothing: the reply is <c>HD</c> or <c>EN</c>.</summary>
    None = 0,

    /// <summary><c>v</c>: the value.</summary>
    Value = 1,

    /// <summary><c>f</c>: client flags.</summary>
    ClientFlags = 2,

    /// <summary><c>c</c>: CAS.</summary>
    Cas = 4,

    /// <summary><c>t</c>: remaining TTL.</summary>
    Ttl = 8,

    /// <summary><c>s</c>: item size.</summary>
    Size = 16,

    /// <summary><c>k</c>: the key.</summary>
    Key = 32,

    /// <summary><c>q</c>: quiet (no <c>EN</c> on a miss).</summary>
    Quiet = 64,
}
