using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/Ttp.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
