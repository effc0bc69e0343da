using System.Diagnostics;
using System.Globalization;
using HvsGrains.Grains.ModelScoring.Onnx;

namespace HvsGrains.Benchmarks.Scoring;

/// <summary>`scoring [calls]`: times single-row scores one by one and prints percentiles in µs.</summary>
internal static class ScoringLatencyMode
{
    public static void Run(int calls)
    {
        using var session = new OnnxHazardModelSession(BundledModel.Bytes());
        var version = OnnxRuntimeInfo.TryGetVersion(out var v, out var reason) ? v : throw new InvalidOperationException(reason);
        var rows = BundledModel.Rows();
        for (var i = 0; i < 10_000; i++)
        {
            session.ScoreOne(rows[i % rows.Length]);
        }

        var micros = new double[calls];
        for (var i = 0; i < calls; i++)
        {
            var started = Stopwatch.GetTimestamp();
            session.ScoreOne(rows[i % rows.Length]);
            micros[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        }

        foreach (var threads in new[] { 1, 2, 4 })
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            var counts = new long[threads];
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                var n = 0L;
                while (wall.Elapsed < TimeSpan.FromSeconds(3))
                {
                    session.ScoreOne(rows[(int)(n++ % rows.Length)]);
                }

                counts[t] = n;
            });
            var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{threads} thread(s): {counts.Sum() / wall.Elapsed.TotalSeconds:N0} scores/s, {used.TotalMicroseconds / counts.Sum():0.0} µs CPU per score"));
        }

        Array.Sort(micros);
        double At(double q) => micros[Math.Min(micros.Length - 1, (int)(q * micros.Length))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ScoreOne over {calls:N0} calls (ONNX Runtime {version}, bundled model, {rows[0].Length} features): p50 {At(0.5):0.0} µs, p90 {At(0.9):0.0} µs, p99 {At(0.99):0.0} µs, p99.9 {At(0.999):0.0} µs, max {micros[^1]:0.0} µs"));
    }
}
