using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace HvsGrains.Grains.Anomaly;

/// <summary>
/// Modules with an anomaly advisory, on the "HvsGrains.Anomaly" meter: one gauge per silo, no per-module labels
/// (the site's count is the sum over silos; a module that moves or deactivates leaves its silo's count).
/// </summary>
public sealed class AnomalyMetrics
{
    public const string MeterName = "HvsGrains.Anomaly";

    private readonly ConcurrentDictionary<string, byte> _modules = new(StringComparer.Ordinal);

    public AnomalyMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("hvs.modules.anomalous", () => _modules.Count, "{module}",
            "Modules of this silo with an anomaly advisory (a pattern unlike normal operation; never a hazard alarm)");
    }

    public void Advised(string moduleId, bool active)
    {
        if (active)
        {
            _modules.TryAdd(moduleId, 0);
        }
        else
        {
            _modules.TryRemove(moduleId, out _);
        }
    }
}
