using System.Globalization;
using BenchmarkDotNet.Running;
using HvsGrains.Benchmarks.Modes;

// `latency [calls] [callers]` and `memory [activations]` are plain console measurements;
// anything else goes to BenchmarkDotNet (e.g. `--filter *OneWayBenchmarks*`). Not typeof(Program):
// a referenced Exe project (HvsGrains.Simulation) has its own top-level Program (CS0436).
switch (args.FirstOrDefault())
{
    case "latency":
        await LatencyMode.RunAsync(Arg(1, 200_000), Arg(2, 16));
        break;
    case "memory":
        await MemoryMode.RunAsync(Arg(1, 100_000));
        break;
    case "scoring":
        HvsGrains.Benchmarks.Scoring.ScoringLatencyMode.Run(Arg(1, 200_000));
        break;
    case "ingest" or "ingest-inproc":
        await HvsGrains.Benchmarks.Ingest.IngestMode.RunAsync(args);
        break;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(HvsGrains.Benchmarks.OneWayBenchmarks).Assembly).Run(args);
        break;
}

int Arg(int index, int fallback) =>
    args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
