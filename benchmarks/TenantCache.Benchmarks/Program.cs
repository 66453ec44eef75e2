using BenchmarkDotNet.Running;
using TenantCache.Benchmarks.Http;

// dotnet run -c Release --project benchmarks/TenantCache.Benchmarks -- --filter '*'   (BenchmarkDotNet)
// dotnet run -c Release --project benchmarks/TenantCache.Benchmarks -- http [--quick]  (HTTP output caching, wrk)
if (args.Length > 0 && args[0] == "http")
{
    return await HttpBench.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(TenantCache.Benchmarks.EngineReadBenchmarks).Assembly).Run(args);
return 0;
