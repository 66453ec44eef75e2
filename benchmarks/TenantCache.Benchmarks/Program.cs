using BenchmarkDotNet.Running;
using TenantCache.Benchmarks.Bench;
using TenantCache.Benchmarks.Fleet;
using TenantCache.Benchmarks.Herd;
using TenantCache.Benchmarks.Http;

// dotnet run -c Release --project benchmarks/TenantCache.Benchmarks -- --filter '*'   (BenchmarkDotNet)
// dotnet run -c Release --project benchmarks/TenantCache.Benchmarks -- http [--quick]  (HTTP output caching, wrk)
// dotnet run -c Release --project benchmarks/TenantCache.Benchmarks -- bench [--quick] (side by side with FusionCache, HybridCache)
// dotnet run -c Release --project benchmarks/TenantCache.Benchmarks -- bench --engine redis [--quick] [--redis host:port] (the same over Redis)
// dotnet run -c Release --project benchmarks/TenantCache.Benchmarks -- soak [--seconds S] (failure behaviour over time)
// dotnet run -c Release --project benchmarks/TenantCache.Benchmarks -- fleet [--processes 8] [--nodes 3] (hot keys across processes)
// dotnet run -c Release --project benchmarks/TenantCache.Benchmarks -- herd [--processes 4] [--callers 64] (thundering herd after a tenant clear)
switch (args.FirstOrDefault())
{
    case "http":
        return await HttpBench.RunAsync(args[1..]);
    case "bench" or "soak" or "fleet" or FleetWorker.CommandName or "herd" or HerdWorker.CommandName:
        return await BenchCli.RunAsync(args);
    default:
        BenchmarkSwitcher.FromAssembly(typeof(TenantCache.Benchmarks.EngineReadBenchmarks).Assembly).Run(args);
        return 0;
}
