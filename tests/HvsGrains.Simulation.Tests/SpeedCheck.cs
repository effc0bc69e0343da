using System.Diagnostics;
using HvsGrains.Simulation.Physics;
using Xunit.Abstractions;

namespace HvsGrains.Simulation.Tests;

/// <summary>Informational throughput check of normal operation (not asserted; the lead owns the benchmark).</summary>
public sealed class SpeedCheck(ITestOutputHelper output)
{
    [Fact]
    public void Normal_operation_throughput()
    {
        var rack = new RackModel(ChemistryPreset.Nmc, 16, 25.0, 0.5);
        const int steps = 100_000; // long enough for tiered JIT to reach optimised code
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++)
        {
            var env = new RackEnvironment(22.0, 300.0, 6.0, (i / 3600) % 2 == 0 ? 40.0 : -40.0);
            rack.Step(1.0, in env);
        }

        sw.Stop();
        double rate = steps * 16 / sw.Elapsed.TotalSeconds;
        output.WriteLine($"module-steps/s: {rate:N0}");
        Assert.True(rate > 0);
    }
}
