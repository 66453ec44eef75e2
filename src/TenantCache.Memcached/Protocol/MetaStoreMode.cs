namespace TenantCache.Memcached.Protocol;

/// <summary>The <c>M</c> flag of <c>ms</c>.</summary>
internal enum MetaStoreMode
{
    /// <summary><c>MS</c> (the default, not sent).</summary>
    Set = 0,

    /// <summary><c>ME</c>: add if absent.</summary>
    Add,

    /// <summary><c>MR</c>: replace if present.</summary>
    Replace,

    /// <summary><c>MA</c>: append.</summary>
    Append,

    /// <summary><c>MP</c>: prepend.</summary>
    Prepend,
}
