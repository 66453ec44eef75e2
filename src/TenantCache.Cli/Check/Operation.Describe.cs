using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace TenantCache.Cli.Check;

// How an operation is printed in a report.
internal sealed partial class Operation
{
    public string Describe(long origin)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"#{Id} w{Worker} p{Process} [{Ms(Start, origin)} .. {(End == long.MaxValue ? "never" : Ms(End, origin))}] ");
        switch (Kind)
        {
            case OpKind.Get:
                sb.Append(CultureInfo.InvariantCulture, $"get {Entry} -> ");
                sb.Append(Hit ? ReturnedText() : "miss");
                break;
            case OpKind.Set:
                sb.Append(CultureInfo.InvariantCulture, $"set {Entry} write {WriteId:x}{Tags()}");
                break;
            case OpKind.GetOrCreate:
                sb.Append(CultureInfo.InvariantCulture, $"get-or-create {Entry}{Tags()}");
                if (FactoryRan)
                {
                    sb.Append(CultureInfo.InvariantCulture, $" factory@{Ms(FactoryStart, origin)} made {WriteId:x}");
                }

                sb.Append(" -> ").Append(Status == OpStatus.Ok ? ReturnedText() : "-");
                if (Outcome is { } outcome)
                {
                    sb.Append(CultureInfo.InvariantCulture, $" [{outcome}{Policy()}]");
                }

                break;
            case OpKind.Remove:
                sb.Append(CultureInfo.InvariantCulture, $"remove {Entry}");
                break;
            case OpKind.InvalidateScope:
                sb.Append(CultureInfo.InvariantCulture, $"invalidate scope {Location}");
                break;
            case OpKind.InvalidateTag:
                sb.Append(CultureInfo.InvariantCulture, $"invalidate tag a{Location.App}/g{Tag}");
                break;
            case OpKind.Fault:
                sb.Append(CultureInfo.InvariantCulture, $"fault {Error}");
                if (LostNodes != 0)
                {
                    sb.Append(CultureInfo.InvariantCulture, $" (emptied node(s) {NodeList(LostNodes)} by {Ms(Applied, origin)})");
                }

                return sb.ToString();
        }

        if (Status != OpStatus.Ok)
        {
            sb.Append(CultureInfo.InvariantCulture, $" {Status.ToString().ToUpperInvariant()}");
            if (Error is not null)
            {
                sb.Append(": ").Append(Error);
            }
        }

        if (IsRead && DataKeysRead > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $" (version keys read: {VersionKeysRead}{(VersionKeysRead == 0 ? ", tokens reused" : "")})");
        }

        if (StoreErrors > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $" (store errors: {StoreErrors})");
        }

        if (Rejections > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $" (rejected entries: {Rejections})");
        }

        return sb.ToString();
    }

    /// <summary>The call's options that change what it may return: ", stale 2s, fail-safe 3s, hard 100ms".</summary>
    private string Policy() =>
        (StaleFor is { } stale ? string.Create(CultureInfo.InvariantCulture, $", stale {stale.TotalSeconds:0.###}s") : "")
        + (FailSafeFor is { } failSafe ? string.Create(CultureInfo.InvariantCulture, $", fail-safe {failSafe.TotalSeconds:0.###}s") : "")
        + (HardTimeout is { } hard ? string.Create(CultureInfo.InvariantCulture, $", hard timeout {hard.TotalMilliseconds:0}ms") : "")
        + (Lifetime > TimeSpan.Zero && Lifetime < TimeSpan.FromMinutes(1) ? string.Create(CultureInfo.InvariantCulture, $", lifetime {Lifetime.TotalMilliseconds:0}ms") : "")
        + (TookOver ? ", took a lease over" : "");

    private string ReturnedText() => RawValue is not null
        ? "value \"" + RawValue + "\""
        : string.Create(CultureInfo.InvariantCulture, $"write {ReturnedWriteId:x}");

    private string Tags()
    {
        if (TagMask == 0)
        {
            return "";
        }

        var tags = new List<string>();
        for (var i = 0; i < 31; i++)
        {
            if ((TagMask & (1 << i)) != 0)
            {
                tags.Add(string.Create(CultureInfo.InvariantCulture, $"g{i}"));
            }
        }

        return " tags " + string.Join(',', tags);
    }

    /// <summary>The node indexes of a bit mask, for people: "0,2".</summary>
    public static string NodeList(int mask) =>
        string.Join(',', Enumerable.Range(0, 31).Where(i => (mask & (1 << i)) != 0).Select(i => i.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Milliseconds since <paramref name="origin"/>, for people.</summary>
    public static string Ms(long timestamp, long origin) =>
        ((timestamp - origin) * 1000.0 / Stopwatch.Frequency).ToString("F3", CultureInfo.InvariantCulture) + "ms";
}
