namespace TenantCache.Benchmarks.Fleet;

/// <summary>Everything one <c>fleet</c> invocation measured; serialized as the <c>--json</c> file.</summary>
internal sealed record FleetReport(
    IReadOnlyList<string> Nodes,
    int Processes,
    int CallersPerProcess,
    int Tenants,
    int KeysPerTenant,
    int SetPercent,
    double Seconds,
    string NodeLoad,
    List<FleetWindowResult> Runs);

/// <summary>One window's run: per node counters over the measured time, and the fleet's own counts.</summary>
internal sealed record FleetWindowResult(
    string Window,
    double? WindowMs,
    string Application,
    int AppTokenNode,
    IReadOnlyList<FleetNodeResult> Nodes,
    WorkerCounts Fleet,
    double MeanKeys,
    int BusiestNode,
    double BusiestToMean,
    double KeysPerOperation);

/// <summary>One node over the measured time.</summary>
internal sealed record FleetNodeResult(int Node, string Endpoint, long Gets, long Sets, long Other, long Keys, double KeysPerSecond, double CpuSeconds, bool HoldsAppToken);
