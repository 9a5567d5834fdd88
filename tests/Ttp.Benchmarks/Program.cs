using BenchmarkDotNet.Running;
using Ttp.Benchmarks.Seeding;

// dotnet run -c Release --project tests/Ttp.Benchmarks -- --filter '*'
// dotnet run -c Release --project tests/Ttp.Benchmarks -- seed --records 1000000 --data DIR [--postgres CONNSTRING]
// dotnet run -c Release --project tests/Ttp.Benchmarks -- verify --data DIR [--postgres CONNSTRING]
// dotnet run -c Release --project tests/Ttp.Benchmarks -- search --data DIR [--postgres CONNSTRING] [--runs 15]
// dotnet run -c Release --project tests/Ttp.Benchmarks -- charts --data DIR [--postgres CONNSTRING] [--days 30]
// dotnet run -c Release --project tests/Ttp.Benchmarks -- directory --data DIR [--postgres CONNSTRING] [--tsms 1000] [--key-sets 10000] --operator EMAIL --approver EMAIL
// dotnet run -c Release --project tests/Ttp.Benchmarks -- append [--callers 16] [--seconds 10] [--batch-delay-ms 2] [--checkpoint-ms 5000]
// dotnet run -c Release --project tests/Ttp.Benchmarks -- export --data DIR [--postgres CONNSTRING] --format csv|jsonl [--tsm NAME]
if (SeedCommand.Handles(args))
{
    return await SeedCommand.RunAsync(args);
}

if (AppendCommand.Handles(args))
{
    return await AppendCommand.RunAsync(args);
}

if (ChartsCommand.Handles(args))
{
    return await ChartsCommand.RunAsync(args);
}

if (DirectoryCommand.Handles(args))
{
    return await DirectoryCommand.RunAsync(args);
}

if (ExportCommand.Handles(args))
{
    return await ExportCommand.RunAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
