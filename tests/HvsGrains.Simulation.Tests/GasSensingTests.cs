using HvsGrains.Grains.Readings;
using HvsGrains.Simulation.Feed;
using HvsGrains.Simulation.Physics;
using HvsGrains.Simulation.Scenarios;

namespace HvsGrains.Simulation.Tests;

/// <summary>External gas as a look-alike, and the site's gas sensors per rack, per module or shared.</summary>
public sealed class GasSensingTests
{
    [Theory]
    [InlineData(Chemistry.Nmc, 1)]
    [InlineData(Chemistry.Lfp, 2)]
    public void External_gas_brings_carbon_monoxide_without_the_hydrogen_of_battery_off_gas(Chemistry chem, int severity)
    {
        ScenarioSpec spec = TestScenarios.Make(chem, FaultType.ExternalGas, severity, 3, TimeSpan.FromHours(2), rackSize: 4);
        var runner = new ScenarioRunner(new RunnerOptions { SampleInterval = TimeSpan.FromSeconds(10) });
        double maxCo = 0, h2AtMaxCo = 0, maxSurface = 0;
        foreach (ModuleSample s in runner.Run(spec))
        {
            if (s.Truth.CoPpm > maxCo)
            {
                (maxCo, h2AtMaxCo) = (s.Truth.CoPpm, s.Truth.H2Ppm);
            }

            maxSurface = Math.Max(maxSurface, s.Truth.MaxSurfaceTempC);
        }

        Assert.True(spec.Fault.IsBenign());
        Assert.InRange(maxCo, 50, 300); // beyond the CO Warning of 50 ppm
        Assert.True(h2AtMaxCo < 10 && h2AtMaxCo < 0.2 * maxCo, $"H2 {h2AtMaxCo:0.0} ppm beside CO {maxCo:0} ppm");
        Assert.True(maxSurface < 45, $"no module heats ({maxSurface:0.0} °C)");
        Assert.False(runner.Simulate(spec).AnyPnr);
    }

    [Fact]
    public void The_catalogue_has_exhaust_and_smoke_among_its_look_alikes()
    {
        var benign = ScenarioCatalogue.Benign(1).ToList();
        Assert.Equal(ScenarioSelectionTestsSize, benign.Count);
        Assert.Equal([1, 2], benign.Where(s => s.Fault == FaultType.ExternalGas && s.Chemistry == Chemistry.Nmc).Select(s => s.Severity));
    }

    [Fact]
    public void A_rack_detector_reports_gas_and_module_readings_carry_none()
    {
        ScenarioSpec spec = TestScenarios.Make(Chemistry.Nmc, FaultType.InternalShort, 4, 1, TimeSpan.FromHours(1), rackSize: 4) with { GasSensing = GasSensing.PerRack };
        var session = new ScenarioSession(spec, new RunnerOptions());
        var validator = new ReadingValidator();
        for (int k = 0; k < 60; k++)
        {
            session.Step(1.0);
        }

        DateTimeOffset at = spec.StartTime.AddSeconds(60);
        SensorReading rack = session.ReadRack(at)!;
        SensorReading module = session.Sensors[0].Read(in session.Rack.States[0], in session.Rack.Air, session.Chemistry.CellsInSeries, 60, spec.ModuleId(0), spec.RackId, at);

        Assert.True(rack.IsRackReading);
        Assert.Equal(spec.RackId, rack.RackId);
        Assert.Empty(validator.Validate(rack, at));
        Assert.NotNull(rack.CoPpm ?? rack.H2Ppm ?? rack.VocPpm);
        Assert.Null(rack.VoltageV);
        Assert.Equal((null, null, null), (module.CoPpm, module.H2Ppm, module.VocPpm));
        Assert.NotNull(module.MaxSurfaceTempC);
        Assert.Null(new ScenarioSession(spec with { GasSensing = GasSensing.PerModule }, new RunnerOptions()).ReadRack(at));
    }

    [Fact]
    public void A_modules_own_sensor_smells_its_vent_more_than_its_peers_do()
    {
        // A sensor beside a venting module sees its plume before the rack air mixes; run until 5 min after the vent.
        ScenarioSpec spec = TestScenarios.Make(Chemistry.Nmc, FaultType.InternalShort, 4, 2, TimeSpan.FromHours(4), rackSize: 4) with { GasSensing = GasSensing.PerModule };
        var session = new ScenarioSession(spec, new RunnerOptions());
        double ownPeak = 0, peerPeak = 0;
        for (int k = 1; k <= 4 * 3600 && !(session.Rack.States[spec.FaultModule].Events.VentS < k - 300); k++)
        {
            session.Step(1.0);
            if (k % 10 != 0)
            {
                continue;
            }

            for (int i = 0; i < spec.RackSize; i++)
            {
                SensorReading r = session.Sensors[i].Read(in session.Rack.States[i], in session.Rack.Air, session.Chemistry.CellsInSeries, k, spec.ModuleId(i), spec.RackId, spec.StartTime.AddSeconds(k));
                double voc = r.VocPpm ?? 0;
                if (i == spec.FaultModule)
                {
                    ownPeak = Math.Max(ownPeak, voc);
                }
                else
                {
                    peerPeak = Math.Max(peerPeak, voc);
                }
            }
        }

        Assert.True(session.Rack.States[spec.FaultModule].Vented);
        Assert.True(ownPeak > 2 * peerPeak, $"own {ownPeak:0} ppm, peers {peerPeak:0} ppm");
    }

    [Fact]
    public void The_live_warehouse_sends_one_detector_reading_per_rack_and_sample()
    {
        var options = new FeedOptions { Url = new Uri("http://127.0.0.1:1"), ApiKey = "k", Racks = 2, ModulesPerRack = 4, Duration = TimeSpan.FromMinutes(1) };
        var sim = new WarehouseSimulation(options, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var readings = new List<SensorReading>();
        sim.Next(readings);

        Assert.Equal(2 * 4, readings.Count(r => !r.IsRackReading));
        Assert.Equal(sim.RackIds, readings.Where(r => r.IsRackReading).Select(r => r.RackId));

        // Posted as the front door takes a rack's reading: a rack id and no module id.
        using var posted = System.Text.Json.JsonDocument.Parse(ReadingPoster.Serialize(readings));
        var detectors = posted.RootElement.EnumerateArray().Where(e => !e.TryGetProperty("moduleId", out _)).ToList();
        Assert.Equal(2, detectors.Count);
        Assert.All(detectors, d => Assert.True(d.TryGetProperty("coPpm", out _) && !d.TryGetProperty("voltageV", out _)));
    }

    private const int ScenarioSelectionTestsSize = Dataset.ScenarioSelection.BenignPerReplica;
}
