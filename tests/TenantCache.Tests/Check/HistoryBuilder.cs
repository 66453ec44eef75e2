using TenantCache.Cli.Check;

namespace TenantCache.Tests.Check;

/// <summary>Builds histories by hand, with timestamps in plain ticks, for the judge's tests.</summary>
internal sealed class HistoryBuilder
{
    private long _writes;

    public History History { get; } = new(origin: 0);

    public static Location App(int app = 0) => new(app);

    public static Location Tenant(int tenant, int app = 0) => new(app, tenant);

    public static Location Sub(int tenant, int sub, int app = 0) => new(app, tenant, sub);

    public Operation Set(Location location, int key, long start, long end, int tags = 0, OpStatus status = OpStatus.Ok) =>
        History.Add(new Operation
        {
            Kind = OpKind.Set, Location = location, Key = key, Start = start, End = end, TagMask = tags, Status = status, WriteId = ++_writes,
        });

    /// <summary>A get that returned <paramref name="returned"/>'s value, or a miss.</summary>
    public Operation Get(Location location, int key, long start, long end, Operation? returned) =>
        History.Add(new Operation
        {
            Kind = OpKind.Get, Location = location, Key = key, Start = start, End = end, Status = OpStatus.Ok,
            Hit = returned is not null, ReturnedWriteId = returned?.WriteId ?? 0,
        });

    /// <summary>A get that returned these exact characters.</summary>
    public Operation GetRaw(Location location, int key, long start, long end, string value) =>
        History.Add(new Operation
        {
            Kind = OpKind.Get, Location = location, Key = key, Start = start, End = end, Status = OpStatus.Ok, Hit = true, RawValue = value,
        });

    /// <summary>
    /// A get-or-create whose own factory ran at <paramref name="factoryStart"/> and whose value it returned, written
    /// back at <paramref name="writtenAt"/> (its end by default: a stale value served, the write-back may come later).
    /// </summary>
    public Operation GetOrCreateMade(Location location, int key, long start, long factoryStart, long end, int tags = 0, long writtenAt = 0, TimeSpan lifetime = default)
    {
        var id = ++_writes;
        return History.Add(new Operation
        {
            Kind = OpKind.GetOrCreate, Location = location, Key = key, Start = start, End = end, Status = OpStatus.Ok, TagMask = tags,
            FactoryRan = true, FactoryStart = factoryStart, FactoryEnd = factoryStart, WriteId = id, ReturnedWriteId = id, Outcome = GetOrCreateOutcome.Computed,
            Leased = true, DataWrittenAt = writtenAt == 0 ? end : writtenAt, Lifetime = lifetime,
        });
    }

    /// <summary>
    /// A get-or-create of a process with leases that returned <paramref name="returned"/>'s value with
    /// <paramref name="outcome"/>, called with <paramref name="staleFor"/> and <paramref name="failSafeFor"/>.
    /// </summary>
    public Operation GetOrCreateWith(Location location, int key, long start, long end, Operation returned, GetOrCreateOutcome outcome, TimeSpan? staleFor = null, TimeSpan? failSafeFor = null) =>
        History.Add(new Operation
        {
            Kind = OpKind.GetOrCreate, Location = location, Key = key, Start = start, End = end, Status = OpStatus.Ok,
            Hit = true, ReturnedWriteId = returned.WriteId, Outcome = outcome, StaleFor = staleFor, FailSafeFor = failSafeFor, Leased = true,
        });

    /// <summary>A get-or-create that returned <paramref name="returned"/>'s value without calling its own factory.</summary>
    public Operation GetOrCreateReturned(Location location, int key, long start, long end, Operation returned) =>
        History.Add(new Operation
        {
            Kind = OpKind.GetOrCreate, Location = location, Key = key, Start = start, End = end, Status = OpStatus.Ok,
            Hit = true, ReturnedWriteId = returned.WriteId,
        });

    public Operation Remove(Location location, int key, long start, long end, OpStatus status = OpStatus.Ok) =>
        History.Add(new Operation { Kind = OpKind.Remove, Location = location, Key = key, Start = start, End = end, Status = status, ErrorTyped = status == OpStatus.Threw });

    public Operation Invalidate(Location location, long start, long end, OpStatus status = OpStatus.Ok, bool typed = true) =>
        History.Add(new Operation
        {
            Kind = OpKind.InvalidateScope, Location = location, Start = start, End = end, Status = status,
            ErrorTyped = status == OpStatus.Threw && typed, Error = status == OpStatus.Threw ? "boom" : null,
        });

    public Operation InvalidateTag(int tag, long start, long end, int app = 0, OpStatus status = OpStatus.Ok) =>
        History.Add(new Operation
        {
            Kind = OpKind.InvalidateTag, Location = new Location(app), Tag = tag, Start = start, End = end, Status = status, ErrorTyped = status == OpStatus.Threw,
        });

    public Verdict Judge(bool locality = true, TimeSpan storeClock = default) => global::TenantCache.Cli.Check.Judge.Run(History, locality, storeClock: storeClock);

    /// <summary>Seconds as history ticks (<see cref="System.Diagnostics.Stopwatch"/> ticks), for rules measured in time.</summary>
    public static long Seconds(double seconds) => (long)(seconds * System.Diagnostics.Stopwatch.Frequency);
}
