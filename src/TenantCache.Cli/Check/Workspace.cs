using System.Globalization;

namespace TenantCache.Cli.Check;

/// <summary>
/// The shape of the workload: applications × clients (cache instances over the shared store) ×
/// scopes × keys × tags, with every scope object and entry option built once.
/// </summary>
internal sealed class Workspace
{
    private readonly Dictionary<Location, ICacheScope>[][] _scopes;
    private readonly CacheEntryOptions[] _entryOptions;
    private readonly CacheEntryOptions[][] _getOrCreateOptions;

    public Workspace(CheckOptions options, IReadOnlyList<IReadOnlyList<ITenantCache>> caches)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(caches);
        Options = options;
        Caches = caches;
        _scopes = new Dictionary<Location, ICacheScope>[caches.Count][];
        for (var app = 0; app < caches.Count; app++)
        {
            _scopes[app] = new Dictionary<Location, ICacheScope>[caches[app].Count];
            for (var client = 0; client < caches[app].Count; client++)
            {
                var cache = caches[app][client];
                var map = new Dictionary<Location, ICacheScope> { [new Location(app)] = cache };
                for (var t = 0; t < options.Tenants; t++)
                {
                    var tenant = cache.Tenant(string.Create(CultureInfo.InvariantCulture, $"t{t}"));
                    map[new Location(app, t)] = tenant;
                    for (var s = 0; s < options.SubScopes; s++)
                    {
                        map[new Location(app, t, s)] = tenant.Scope(string.Create(CultureInfo.InvariantCulture, $"s{s}"));
                    }
                }

                _scopes[app][client] = map;
            }
        }

        KeyNames = [.. Enumerable.Range(0, options.Keys).Select(k => string.Create(CultureInfo.InvariantCulture, $"k{k}"))];
        TagNames = [.. Enumerable.Range(0, options.Tags).Select(g => string.Create(CultureInfo.InvariantCulture, $"g{g}"))];
        _entryOptions = new CacheEntryOptions[1 << options.Tags];
        for (var mask = 0; mask < _entryOptions.Length; mask++)
        {
            _entryOptions[mask] = new CacheEntryOptions
            {
                Expiration = options.EntryLifetime,
                Tags = TagList(mask),
            };
        }

        Policies = options.Policies;
        _getOrCreateOptions = [.. Policies.Select(p => Enumerable.Range(0, 1 << options.Tags).Select(mask => p.Options(options.EntryLifetime, TagList(mask))).ToArray())];
    }

    public CheckOptions Options { get; }

    public IReadOnlyList<IReadOnlyList<ITenantCache>> Caches { get; }

    public string[] KeyNames { get; }

    public string[] TagNames { get; }

    /// <summary>The <c>--no-judge</c> mode: operations are judged alone as they end and not kept.</summary>
    public StreamVerdict? Stream { get; init; }

    /// <summary>The processes that read and write (indexes into <see cref="Caches"/>[app]); every one by default.</summary>
    public int[] ReadWriters { get; init; } = [];

    /// <summary>The processes that invalidate; every one by default.</summary>
    public int[] Invalidators { get; init; } = [];

    /// <summary>Counts every finished operation per process (token reuse, invalidation waits).</summary>
    public ProcessTally? Tally { get; init; }

    /// <summary>The process that runs an operation of <paramref name="kind"/>, drawn from <paramref name="random"/>.</summary>
    public int PickProcess(OpKind kind, Random random)
    {
        var pool = kind is OpKind.InvalidateScope or OpKind.InvalidateTag ? Invalidators : ReadWriters;
        return pool.Length > 0 ? pool[random.Next(pool.Length)] : random.Next(Caches[0].Count);
    }

    /// <summary>How get-or-creates are called (<see cref="CheckOptions.Policies"/>).</summary>
    public IReadOnlyList<GetOrCreatePolicy> Policies { get; }

    /// <summary>Per process: whether its engine takes recompute leases.</summary>
    public bool[] LeasingProcesses { get; init; } = [];

    /// <summary>Store calls in flight and factories running in the run (background recomputes included).</summary>
    public StoreActivity Activity { get; init; } = new();

    public ICacheScope Scope(int client, Location location) => _scopes[location.App][client][location];

    public CacheEntryOptions EntryOptions(int tagMask) => _entryOptions[tagMask];

    public CacheEntryOptions GetOrCreateOptions(int policy, int tagMask) => _getOrCreateOptions[policy][tagMask];

    public bool Leased(int process) => process < LeasingProcesses.Length && LeasingProcesses[process];

    /// <summary>One key in four (k3, k7, ...) is short-lived: its get-or-creates use the short-lived policies (fail-safe, timeouts).</summary>
    public static bool IsShortLived(EntryKey entry) => entry.Key % 4 == 3;

    /// <summary>
    /// The tags every get-or-create of <paramref name="entry"/> gives it: fixed per entry, so that its generations
    /// (the states of its scopes' and tags' tokens) are well defined for the factory accounting. Half the entries
    /// carry none, a third of the others two, as random sets do.
    /// </summary>
    public int GetOrCreateTags(EntryKey entry)
    {
        if (Options.Tags == 0 || (!Options.TagShortLivedKeys && IsShortLived(entry)))
        {
            return 0;
        }

        // A fixed mix (HashCode is seeded per process): the same seed gives the same tags in every run.
        var h = unchecked((uint)((entry.Location.App * 73856093) ^ ((entry.Location.Tenant + 1) * 19349663) ^ ((entry.Location.Sub + 2) * 83492791) ^ (entry.Key * 40503) ^ Options.Seed));
        h = unchecked((h ^ (h >> 16)) * 0x45d9f3bu);
        h = unchecked((h ^ (h >> 16)) * 0x45d9f3bu);
        h ^= h >> 16;
        if ((h & 1) == 0)
        {
            return 0;
        }

        var mask = 1 << (int)((h >> 1) % (uint)Options.Tags);
        return (h >> 8) % 3 == 0 ? mask | (1 << (int)((h >> 12) % (uint)Options.Tags)) : mask;
    }

    private string[]? TagList(int mask) =>
        mask == 0 ? null : [.. Enumerable.Range(0, Options.Tags).Where(g => (mask & (1 << g)) != 0).Select(g => TagNames[g])];
}
