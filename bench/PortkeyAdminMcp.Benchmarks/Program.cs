using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/PortkeyAdminMcp.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
