using BenchmarkDotNet.Running;

// Component benchmarks: `dotnet run -c Release -- --filter '*'` runs all of them,
// `--filter '*Crc32C*'` one class, `--list flat` names them (BenchmarkDotNet's own options).
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
