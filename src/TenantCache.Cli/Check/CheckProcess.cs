using System.Globalization;
using TenantCache.Stores;

namespace TenantCache.Cli.Check;

/// <summary>What a simulated process of a checker run may do.</summary>
internal enum ProcessRole : byte
{
    /// <summary>Reads, writes, removes and invalidates.</summary>
    Full,

    /// <summary>Only invalidates, like <c>tenantcache clear</c> run from a shell.</summary>
    ClearOnly,

    /// <summary>
    /// A process of an older version: its store offers no CAS and no flags, so it reuses no token and
    /// invalidates blindly, without waiting. It only reads, writes and removes: a blind invalidation
    /// while others reuse tokens may break I1, which is documented, not a finding.
    /// </summary>
    Legacy,
}

/// <summary>
/// One simulated process of every application: its own <see cref="ApplicationCache"/> (its own token
/// table and single flight) over the shared store, with its token reuse window (Δ).
/// </summary>
/// <param name="Index">Its place in the run's list, shown as <c>p{Index}</c>.</param>
/// <param name="Window">The <see cref="TenantCacheOptions.TokenReuseWindow"/> asked for; <see langword="null"/>: the engine's default.</param>
/// <param name="Role">What it does.</param>
internal sealed record CheckProcess(int Index, TimeSpan? Window, ProcessRole Role)
{
    /// <summary>The windows of <c>--mixed-windows</c>, cycled over the processes that read, write and invalidate.</summary>
    public static readonly IReadOnlyList<TimeSpan?> MixedWindows =
        [TimeSpan.Zero, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), null];

    /// <summary>The window of the clear-like process of <c>--mixed-windows</c>: yet another one.</summary>
    public static readonly TimeSpan ClearWindow = TimeSpan.FromMilliseconds(300);

    public bool ReadsAndWrites => Role != ProcessRole.ClearOnly;

    public bool Invalidates => Role != ProcessRole.Legacy;

    /// <summary>
    /// The window its engine is given: the one asked for, else the engine's default for the store
    /// (<see cref="DefaultWindow"/>). Always explicit, because the engine's own default depends on the
    /// store's type, and the checker puts a wrapper (<see cref="CountingStore"/>) in front of every store.
    /// </summary>
    public TimeSpan ConfiguredWindow(ICacheStore store) => Window ?? DefaultWindow(store);

    /// <summary>
    /// The window its engine must be seen to use: none for a legacy process (no flags to record a
    /// promise in), else <see cref="ConfiguredWindow"/> — also over a store without CAS, where the engine
    /// cannot use it: the run then reuses nothing and fails (<see cref="CheckSummary.ReuseProblem"/>) rather
    /// than pass with the window silently off.
    /// </summary>
    public TimeSpan ExpectedWindow(ICacheStore store) => Role == ProcessRole.Legacy ? TimeSpan.Zero : ConfiguredWindow(store);

    /// <summary>
    /// The engine's default window over <paramref name="store"/> (<see cref="TenantCacheOptions.TokenReuseWindow"/>
    /// null): zero on the in-process store, <see cref="TenantCacheOptions.DefaultTokenReuseWindow"/> on a
    /// store with CAS and flags (memcached), zero on a store without them. The tests hold this to the engine.
    /// </summary>
    public static TimeSpan DefaultWindow(ICacheStore store) => store switch
    {
        MemoryCacheStore => TimeSpan.Zero,
        ICasCacheStore => TenantCacheOptions.DefaultTokenReuseWindow,
        _ => TimeSpan.Zero,
    };

    /// <summary>"p3 Δ=200ms", "p5 clear-like Δ=300ms", "p6 legacy (no CAS)".</summary>
    public string Label(ICacheStore store) => Role == ProcessRole.Legacy
        ? string.Create(CultureInfo.InvariantCulture, $"p{Index} legacy (no CAS, Δ=0)")
        : string.Create(CultureInfo.InvariantCulture, $"p{Index}{(Role == ProcessRole.ClearOnly ? " clear-like" : "")} Δ={Ms(ExpectedWindow(store))}{(Window is null ? " (default)" : "")}");

    /// <summary>A window for people and command lines: "0ms", "500ms"; "default" for null.</summary>
    public static string Ms(TimeSpan? window) => window is { } w
        ? string.Create(CultureInfo.InvariantCulture, $"{w.TotalMilliseconds:0.###}ms")
        : "default";

    /// <summary>
    /// The processes of a run: <c>--clients</c> of them with <c>--token-window</c>; with
    /// <c>--mixed-windows</c> at least five, cycling <see cref="MixedWindows"/>, plus a clear-like one
    /// with <see cref="ClearWindow"/>; with <c>--legacy-readers</c> half as many legacy ones again (at least one).
    /// </summary>
    public static IReadOnlyList<CheckProcess> Plan(CheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var list = new List<CheckProcess>();
        var full = options.MixedWindows ? Math.Max(options.Clients, MixedWindows.Count) : options.Clients;
        for (var i = 0; i < full; i++)
        {
            list.Add(new CheckProcess(i, options.MixedWindows ? MixedWindows[i % MixedWindows.Count] : options.TokenWindow, ProcessRole.Full));
        }

        if (options.MixedWindows)
        {
            list.Add(new CheckProcess(list.Count, ClearWindow, ProcessRole.ClearOnly));
        }

        if (options.LegacyReaders)
        {
            var legacy = Math.Max(1, (full + 1) / 2);
            for (var i = 0; i < legacy; i++)
            {
                list.Add(new CheckProcess(list.Count, options.TokenWindow, ProcessRole.Legacy));
            }
        }

        return list;
    }
}
