using System.Diagnostics.Metrics;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.ModelScoring;
using HvsGrains.Grains.Tests.Support;

namespace HvsGrains.Grains.Tests.ModelScoring;

/// <summary>hvs.model.active: 1 for the model in use, 0 for every version used before (exporters keep old series).</summary>
public sealed class ModelInUseGaugeTests : IDisposable
{
    private readonly TestMeterFactory _meters = new();
    private readonly MeterListener _listener = new();
    private readonly List<(string Version, int Value)> _measurements = [];

    public ModelInUseGaugeTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, _meters) && instrument.Name == "hvs.model.active")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((_, value, tags, _) => _measurements.Add(((string)tags[0].Value!, value)));
        _listener.Start();
    }

    [Fact]
    public void A_swapped_model_drops_to_zero_and_the_current_one_is_measured_last()
    {
        HazardModelInfo? current = Model("v1");
        new ScoringMetrics(_meters).ObserveModel(() => current);

        Assert.Equal([("v1", 1)], Observe());

        current = Model("v2");
        Assert.Equal([("v1", 0), ("v2", 1)], Observe());

        current = null;
        Assert.Equal([("v1", 0), ("v2", 0), (ScoringMetrics.RulesOnly, 0)], Observe());

        current = Model("v1");
        Assert.Equal([("v2", 0), (ScoringMetrics.RulesOnly, 0), ("v1", 1)], Observe());
    }

    public void Dispose()
    {
        _listener.Dispose();
        _meters.Dispose();
    }

    private static HazardModelInfo Model(string version) =>
        new(version, "test", "sha", new ModelThresholds(0.3, 0.6, 0.9), "1", "hash", null, null, null, DateTimeOffset.UnixEpoch);

    private List<(string, int)> Observe()
    {
        _measurements.Clear();
        _listener.RecordObservableInstruments();
        return [.. _measurements];
    }
}
