using TenantCache.Stores;

namespace TenantCache.Memcached;

/// <summary>Configuration of the memcached client (servers, timeouts, connections, health).</summary>
public sealed class MemcachedOptions
{
    /// <summary>
    /// The configuration section these options are conventionally bound from, inside TenantCache's own:
    /// <c>.WithMemcached(configuration.GetSection(MemcachedOptions.SectionName))</c>.
    /// </summary>
    public const string SectionName = "TenantCache:Memcached";

    /// <summary>
    /// Servers as text, <c>host:port[:weight],...</c> (for example <c>10.0.0.1:11211,10.0.0.2:11211</c>).
    /// Used when <see cref="Endpoints"/> is empty.
    /// </summary>
    public string? Servers { get; set; }

    /// <summary>Servers as objects; takes precedence over <see cref="Servers"/> when not empty.</summary>
    public IList<ServerEndpoint> Endpoints { get; } = new List<ServerEndpoint>();

    /// <summary>
    /// Time for one public call of the client, from the call to the reply — including the wait for a
    /// connection to open and, for a multi-key read, every server's batch. A call that runs out of
    /// time throws <see cref="MemcachedTimeoutException"/>; its request is abandoned (its reply, if it
    /// comes, is read and dropped) and the connection stays open for the requests behind it. Default 1 s.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A connection whose oldest request in flight has waited longer than this is declared stalled and
    /// closed (its requests fail; requests never written are sent once more on a new connection), and
    /// that counts as one failure of the server. At least <see cref="OperationTimeout"/>. Default (null):
    /// three times <see cref="OperationTimeout"/>, so 3 s with the defaults.
    /// </summary>
    public TimeSpan? StallTimeout { get; set; }

    /// <summary>The stall limit in effect: <see cref="StallTimeout"/>, or three operation timeouts.</summary>
    internal TimeSpan EffectiveStallTimeout => StallTimeout ?? OperationTimeout * 3;

    /// <summary>
    /// An idle connection sends a no-op (<c>mn</c>) this often, so a dead server or path is found (by
    /// the stall detector) before a caller needs it. <see cref="Timeout.InfiniteTimeSpan"/> turns the
    /// heartbeat off. Default 2 s.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The most requests one connection holds at once, queued or awaiting a reply; beyond it a request
    /// fails at once with <see cref="MemcachedBacklogFullException"/> instead of piling up behind a slow
    /// server. A single batch larger than the limit is accepted on an idle connection. Default 4096.
    /// </summary>
    public int MaxPendingRequests { get; set; } = 4096;

    /// <summary>Time to open a connection and read the server's settings. Default 1 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Pipelined connections per server, used round-robin. Default 2.</summary>
    public int ConnectionsPerServer { get; set; } = 2;

    /// <summary>
    /// Consecutive failures (connect errors, connections closed as broken or stalled — not a single
    /// slow reply) that mark a server down. Default 3.
    /// </summary>
    public int FailureThreshold { get; set; } = 3;

    /// <summary>
    /// How long a server stays down before one probe is sent; only a successful probe brings it back.
    /// Default 2 s (as libmemcached).
    /// </summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The retry delay doubles after each failed probe, and after each relapse within this long of coming
    /// back, up to this. Default 30 s.
    /// </summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>TLS for every connection (off by default; see <see cref="StoreTlsOptions"/>).</summary>
    public StoreTlsOptions Tls { get; set; } = new();

    /// <summary>
    /// The user name for memcached's ASCII authentication (a server started with <c>-Y auth-file</c>);
    /// set with <see cref="Password"/>, or neither. Sent only to a server that asks for it.
    /// </summary>
    public string? Username { get; set; }

    /// <summary>
    /// The password for <see cref="Username"/> (no spaces: memcached cannot match one). Keep it out of source and settings files (an environment
    /// variable or a secret store bound into configuration); it never reaches a log line or an exception
    /// message. Without <see cref="Tls"/> it crosses the network in plaintext (warning 2808 at startup).
    /// </summary>
    public string? Password { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> describing every problem, if any.</summary>
    public void Validate()
    {
        var errors = GetValidationErrors();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid MemcachedOptions: " + string.Join(" ", errors));
        }
    }

    /// <summary>The server list these options describe (validated).</summary>
    internal IReadOnlyList<ServerEndpoint> ResolveEndpoints()
    {
        if (Endpoints.Count > 0)
        {
            var list = Endpoints.ToArray();
            ServerEndpoint.EnsureDistinct(list);
            return list;
        }

        if (string.IsNullOrWhiteSpace(Servers))
        {
            throw new ArgumentException("MemcachedOptions.Servers is empty: set it to host:port[:weight],... (for example 127.0.0.1:11211).");
        }

        return ServerEndpoint.ParseList(Servers);
    }

    internal IReadOnlyList<string> GetValidationErrors()
    {
        var errors = new List<string>();
        try
        {
            ResolveEndpoints();
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            errors.Add(e.Message);
        }

        Positive(errors, OperationTimeout, nameof(OperationTimeout));
        Positive(errors, ConnectTimeout, nameof(ConnectTimeout));
        Positive(errors, RetryDelay, nameof(RetryDelay));
        if (StallTimeout is { } stall)
        {
            Positive(errors, stall, nameof(StallTimeout));
        }

        if (StallTimeout < OperationTimeout)
        {
            errors.Add($"StallTimeout ({StallTimeout}) must be at least OperationTimeout ({OperationTimeout}).");
        }

        if (HeartbeatInterval != Timeout.InfiniteTimeSpan)
        {
            Positive(errors, HeartbeatInterval, nameof(HeartbeatInterval));
        }

        if (MaxPendingRequests is < 1 or > 1_000_000)
        {
            errors.Add($"MaxPendingRequests must be from 1 to 1000000; got {MaxPendingRequests}.");
        }

        if (MaxRetryDelay < RetryDelay)
        {
            errors.Add($"MaxRetryDelay ({MaxRetryDelay}) must be at least RetryDelay ({RetryDelay}).");
        }

        if (ConnectionsPerServer is < 1 or > 64)
        {
            errors.Add($"ConnectionsPerServer must be from 1 to 64; got {ConnectionsPerServer}.");
        }

        if (FailureThreshold < 1)
        {
            errors.Add($"FailureThreshold must be at least 1; got {FailureThreshold}.");
        }

        AddCredentialErrors(errors);
        if (Tls is null)
        {
            errors.Add("Tls must not be null.");
        }
        else
        {
            Tls.AddValidationErrors(errors);
        }

        return errors;
    }

    private void AddCredentialErrors(List<string> errors)
    {
        if ((Username is null) != (Password is null))
        {
            errors.Add("Username and Password must be set together (or neither).");
        }

        if (Username is { } user && (user.Length is 0 or > 250 || user.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            errors.Add("Username must be 1 to 250 characters without spaces or control characters.");
        }

        if (Password is { } password && (password.Length is 0 or > 1000 || password.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            // memcached's ASCII authentication sends "user password" and cannot match a password with a space.
            errors.Add("Password must be 1 to 1000 characters without spaces or control characters (its value is not shown).");
        }
    }

    private static void Positive(List<string> errors, TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero || value > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{name} must be more than 0 and at most 10 minutes; got {value}.");
        }
    }
}
