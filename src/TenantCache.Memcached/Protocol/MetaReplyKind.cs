namespace TenantCache.Memcached.Protocol;

/// <summary>The first token of a meta-protocol reply line.</summary>
internal enum MetaReplyKind
{
    /// <summary>Not a reply (the default value).</summary>
    None = 0,

    /// <summary><c>VA</c>: a value follows.</summary>
    Value,

    /// <summary><c>HD</c>: success, no value.</summary>
    Success,

    /// <summary><c>EN</c>: miss (mg).</summary>
    Miss,

    /// <summary><c>NS</c>: not stored.</summary>
    NotStored,

    /// <summary><c>EX</c>: CAS mismatch.</summary>
    Exists,

    /// <summary><c>NF</c>: not found.</summary>
    NotFound,

    /// <summary><c>MN</c>: answer to <c>mn</c>.</summary>
    NoOp,

    /// <summary><c>ERROR</c>: unknown command.</summary>
    Error,

    /// <summary><c>CLIENT_ERROR msg</c>: the server refused what we sent.</summary>
    ClientError,

    /// <summary><c>SERVER_ERROR msg</c>: the server failed the command.</summary>
    ServerError,
}
