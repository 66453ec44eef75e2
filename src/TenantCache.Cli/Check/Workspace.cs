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
                Tags = mask == 0 ? null : [.. Enumerable.Range(0, options.Tags).Where(g => (mask & (1 << g)) != 0).Select(g => TagNames[g])],
            };
        }
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

    public ICacheScope Scope(int client, Location location) => _scopes[location.App][client][location];

    public CacheEntryOptions EntryOptions(int tagMask) => _entryOptions[tagMask];
}
