using System.Globalization;
using BenchmarkDotNet.Running;

// `scoring [readings]`, `ingest`, `ingest-inproc`, `overload`, `recovery` and `cluster` are plain console measurements;
// anything else goes to BenchmarkDotNet (e.g. `--filter *IngestPathBenchmarks*`). Not typeof(Program):
// a referenced Exe project (HvsGrains.Simulation) has its own top-level Program (CS0436).
switch (args.FirstOrDefault())
{
    case "scoring":
        HvsGrains.Benchmarks.Scoring.ScoringLatencyMode.Run(Arg(1, 200_000));
        break;
    case "ingest" or "ingest-inproc":
        await HvsGrains.Benchmarks.Ingest.IngestMode.RunAsync(args);
        break;
    case "overload":
        await HvsGrains.Benchmarks.Overload.OverloadMode.RunAsync(args);
        break;
    case "recovery":
        await HvsGrains.Benchmarks.Recovery.RecoveryMode.RunAsync(args);
        break;
    case "cluster":
        await HvsGrains.Benchmarks.Cluster.ClusterMode.RunAsync(args);
        break;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(HvsGrains.Benchmarks.Ingest.IngestMode).Assembly).Run(args);
        break;
}

int Arg(int index, int fallback) =>
    args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
