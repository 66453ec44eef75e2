using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/TenantCache.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
