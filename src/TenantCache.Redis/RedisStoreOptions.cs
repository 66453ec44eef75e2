using TenantCache.Stores;

namespace TenantCache.Redis;

/// <summary>How <see cref="RedisCacheStore"/> reaches Redis and what it accepts.</summary>
public sealed class RedisStoreOptions
{
    /// <summary>The configuration section the options are usually bound from.</summary>
    public const string SectionName = "TenantCache:Redis";

    /// <summary>The default and the largest <see cref="MaxValueLength"/>: 1 MiB, memcached's default item size.</summary>
    public const int DefaultMaxValueLength = 1024 * 1024;

    /// <summary>The largest <see cref="MaxValueLength"/>: Redis's own limit for a string (512 MiB) less the 14-byte item header.</summary>
    public const int MaxMaxValueLength = (512 * 1024 * 1024) - RedisItemHeaderLength;

    internal const int RedisItemHeaderLength = 14;

    /// <summary>
    /// A StackExchange.Redis configuration string: endpoints (a standalone server, or any nodes of a
    /// Redis Cluster) and options, e.g. <c>127.0.0.1:6379,abortConnect=false</c>. Secrets in it (a
    /// password) never reach a log line of ours. Required unless the store is given a connection.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>The largest value <c>SetAsync</c> accepts, in bytes (1 to <see cref="MaxMaxValueLength"/>).</summary>
    public int MaxValueLength { get; set; } = DefaultMaxValueLength;

    /// <summary>The Redis database of a standalone server (0 to 15); a cluster has only database 0.</summary>
    public int Database { get; set; }

    /// <summary>
    /// The ACL user (Redis 6+), replacing <c>user=</c> of <see cref="Configuration"/>. Default (null):
    /// the configuration's, or the <c>default</c> user.
    /// </summary>
    public string? User { get; set; }

    /// <summary>
    /// The password, replacing <c>password=</c> of <see cref="Configuration"/>, so that the secret can
    /// come from its own configuration key (an environment variable, a secret store) instead of a
    /// connection string. Never logged and never part of an exception message of ours.
    /// </summary>
    public string? Password { get; set; }

    /// <summary>
    /// TLS (Redis <c>tls-port</c>): on top of <c>ssl=true</c> in <see cref="Configuration"/>, a private
    /// CA, a client certificate (<c>tls-auth-clients yes</c>) and the expected name. Off by default;
    /// <c>ssl=true</c> alone validates against the machine's trust store.
    /// </summary>
    public StoreTlsOptions Tls { get; set; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> describing every problem, if any.</summary>
    /// <param name="requireConfiguration">Whether <see cref="Configuration"/> must be set (no connection was given).</param>
    public void Validate(bool requireConfiguration = true)
    {
        var errors = GetValidationErrors(requireConfiguration);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid RedisStoreOptions: " + string.Join(" ", errors));
        }
    }

    internal List<string> GetValidationErrors(bool requireConfiguration = true)
    {
        var errors = new List<string>();
        if (requireConfiguration && string.IsNullOrWhiteSpace(Configuration))
        {
            errors.Add("Configuration is empty: set it to a StackExchange.Redis configuration string (for example 127.0.0.1:6379).");
        }

        if (MaxValueLength is < 1 or > MaxMaxValueLength)
        {
            errors.Add($"MaxValueLength is {MaxValueLength}: it must be between 1 and {MaxMaxValueLength}.");
        }

        if (Database is < 0 or > 15)
        {
            errors.Add($"Database is {Database}: it must be between 0 and 15.");
        }

        if (User is { } user && (user.Length == 0 || user.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            errors.Add("User must be a non-empty name without spaces or control characters.");
        }

        if (Password is { Length: 0 })
        {
            errors.Add("Password is empty: remove it or set it.");
        }

        if (Tls is null)
        {
            errors.Add("Tls must not be null.");
        }
        else
        {
            Tls.AddValidationErrors(errors);
        }

        if (requireConfiguration && Configuration is { } text && !string.IsNullOrWhiteSpace(text))
        {
            try
            {
                _ = StackExchange.Redis.ConfigurationOptions.Parse(text);
            }
            catch (ArgumentException)
            {
                errors.Add("Configuration cannot be parsed as a StackExchange.Redis configuration string (its text is not shown: it may hold a password).");
            }
        }

        return errors;
    }
}
