using System.Globalization;

namespace TenantCache.Cli.Check;

// Validation, parsing of option values, and the lines that describe and repeat a run.
internal sealed partial class CheckOptions
{
    /// <summary>Returns an error message, or <see langword="null"/> when every setting is usable.</summary>
    public string? Validate()
    {
        if (!(Seconds > 0) || Seconds > 86400)
        {
            return "--seconds must be between 0 and 86400.";
        }

        if (Workers is < 1 or > 1024)
        {
            return "--workers must be between 1 and 1024.";
        }

        if (Apps is < 1 or > 100 || Tenants is < 1 or > 100 || SubScopes is < 0 or > 100 || Keys is < 1 or > 10000)
        {
            return "--apps and --tenants must be 1-100, --subscopes 0-100, --keys 1-10000.";
        }

        if (Tags is < 0 or > 8)
        {
            return "--tags must be between 0 and 8.";
        }

        if (Clients is < 1 or > 16)
        {
            return "--clients must be between 1 and 16.";
        }

        foreach (var fault in Faults)
        {
            if (!KnownFaults.Contains(fault))
            {
                return $"unknown fault '{fault}'; accepted: {string.Join(", ", KnownFaults)}.";
            }

            if (!Implemented.Contains(fault))
            {
                return $"fault '{fault}' is not implemented.";
            }
        }

        if (Redis is not null)
        {
            if (Servers is not null || Nodes is not null)
            {
                return "--redis excludes --servers and --nodes: it runs on the given Redis.";
            }

            if (RedisLocal is not null)
            {
                return "--redis and --redis-local exclude each other: --redis runs on a given Redis, --redis-local on Redis processes the checker starts.";
            }

            if (ExpandedFaults.Count > 0)
            {
                return "faults need process control, which --redis does not give: use --redis-local N to let the checker start its own Redis, or --faults none.";
            }
        }

        if (RedisLocal is not null)
        {
            if (RedisLocal is not (1 or (>= 3 and <= 9)))
            {
                return "--redis-local must be 1 (a standalone server) or 3-9 (a Redis Cluster of that many primaries).";
            }

            if (Servers is not null || Nodes is not null)
            {
                return "--redis-local excludes --servers and --nodes: it runs on Redis processes the checker starts.";
            }

            var memcachedOnly = ExpandedFaults.Where(f => !RedisFaults.Contains(f)).ToList();
            if (memcachedOnly.Count > 0)
            {
                return $"fault(s) {string.Join(", ", memcachedOnly)} run on memcached only; on Redis: {string.Join(", ", RedisFaults)} (or all, which stands for them).";
            }
        }

        if (Servers is not null)
        {
            if (Nodes is not null)
            {
                return "--servers and --nodes exclude each other: --servers runs on a cluster the checker does not start.";
            }

            var needing = ExpandedFaults.Where(NeedProcessControl.Contains).ToList();
            if (needing.Count > 0)
            {
                return $"fault(s) {string.Join(", ", needing)} need process control, which --servers does not give: only 'relay', 'slow' and 'none' run on a given cluster; omit --servers (and use --nodes N) to let the checker start its own memcached processes.";
            }
        }

        if (Nodes is < 1 or > 16)
        {
            return "--nodes must be between 1 and 16.";
        }

        if (ReportEvery < 0)
        {
            return "--report-every must not be negative.";
        }

        if (TokenWindow is { } window && (window < TimeSpan.Zero || window > TimeSpan.FromSeconds(1)))
        {
            return "--token-window must be between 0 and 1000 ms, or 'default'.";
        }

        if (Policies.Count == 0 || Policies.Any(p => p.Weight <= 0))
        {
            return "every get-or-create policy needs a positive weight.";
        }

        if (TokenWindow is not null && MixedWindows)
        {
            return "--token-window and --mixed-windows exclude each other: --mixed-windows gives every process its own window.";
        }

        return null;
    }

    /// <summary>Parses a <c>--token-window</c> value: whole milliseconds, or <c>default</c> (<see langword="null"/>).</summary>
    /// <exception cref="CliUsageException">Neither.</exception>
    public static TimeSpan? ParseWindow(string? text)
    {
        if (text is null || text.Trim().Equals("default", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var ms = text.Trim();
        if (ms.EndsWith("ms", StringComparison.OrdinalIgnoreCase))
        {
            ms = ms[..^2];
        }

        if (!int.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 1000)
        {
            throw new CliUsageException($"--token-window: '{text}' is not a whole number of milliseconds from 0 to 1000, nor 'default'.");
        }

        return TimeSpan.FromMilliseconds(value);
    }

    /// <summary>Splits a <c>--faults</c> value ("none", "restart,pause", "all").</summary>
    public static IReadOnlyList<string> ParseFaults(string? list) =>
        string.IsNullOrWhiteSpace(list)
            ? ["none"]
            : [.. list.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(f => f.ToLowerInvariant())];

    /// <summary>The command line that repeats this run's choices.</summary>
    public string CommandLine() => string.Create(
        CultureInfo.InvariantCulture,
        $"tenantcache check --seed {Seed} --seconds {Seconds} --workers {Workers} --apps {Apps} --tenants {Tenants} --subscopes {SubScopes} --keys {Keys} --tags {Tags} --clients {Clients} --faults {string.Join(',', Faults)}{WindowArguments()}{(Servers is null ? "" : " --servers " + Servers)}{(Redis is null ? "" : " --redis " + CheckTarget.RedisEndpoints(Redis))}{(RedisLocal is null ? "" : " --redis-local " + RedisLocal)}{(Nodes is null ? "" : " --nodes " + Nodes)}");

    /// <summary>The first line of a run: every choice, the store and the faults actually injected.</summary>
    public string Describe(CheckTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var faults = target.Faults.Count > 0 ? string.Join(',', target.Faults.Select(f => f.Name)) : string.Join(',', Faults);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"check: seed={Seed} seconds={Seconds} workers={Workers} apps={Apps} tenants={Tenants} subscopes={SubScopes} keys={Keys} tags={Tags} clients={Clients} windows={WindowsText()} leases={(Leases ? "on" : "off")} store={target.Name} faults={faults} run={RunId}");
    }

    private string WindowArguments() =>
        (TokenWindow is null ? "" : " --token-window " + CheckProcess.Ms(TokenWindow).Replace("ms", "", StringComparison.Ordinal))
        + (MixedWindows ? " --mixed-windows" : "")
        + (LegacyReaders ? " --legacy-readers" : "")
        + (LocalCopy ? " --local-copy" : "")
        + (Leases ? "" : " --no-leases");

    private string WindowsText() =>
        (MixedWindows ? "mixed" : CheckProcess.Ms(TokenWindow)) + (LegacyReaders ? "+legacy" : "") + (LocalCopy ? "+copy" : "");
}
