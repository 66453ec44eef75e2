using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/TenantCache.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(TenantCache.Benchmarks.EngineReadBenchmarks).Assembly).Run(args);
