using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace HvsGrains.Silo.Metrics;

/// <summary>
/// Makes the built-in meters pass Prometheus' conventions (<c>promtool check metrics</c>) without
/// changing what they measure: a view cannot convert values, so instruments in other than base units
/// are left out, gauges named "*.count" are renamed, and instruments without a description get one.
/// </summary>
public static class PrometheusConventions
{
    /// <summary>Units Prometheus wants in base units; OpenTelemetry cannot rescale them, so they are not exported.</summary>
    private static readonly HashSet<string> NonBaseUnits = new(StringComparer.Ordinal) { "ms", "MB" };

    /// <summary>Gauges whose names end in "count", which Prometheus keeps for histograms and summaries.</summary>
    private static readonly Dictionary<string, string> Renamed = new(StringComparer.Ordinal)
    {
        ["dotnet.assembly.count"] = "dotnet.assemblies.loaded",
        ["dotnet.process.cpu.count"] = "dotnet.process.cpus",
        ["dotnet.timer.count"] = "dotnet.timers.active",
    };

    /// <summary>
    /// The one view of the provider (several matching views would export an instrument twice). Null keeps an instrument as it is.
    /// Left out: Orleans' histograms in milliseconds (<see cref="OrleansLatencyInSeconds"/> exports them in seconds, but for the grain
    /// call histogram) and its machine memory gauges in megabytes (System.Runtime reports the process's memory in bytes).
    /// </summary>
    public static MetricStreamConfiguration? View(Instrument instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        if (instrument.Unit is { } unit && NonBaseUnits.Contains(unit))
        {
            return MetricStreamConfiguration.Drop;
        }

        if (Renamed.TryGetValue(instrument.Name, out var name))
        {
            return new MetricStreamConfiguration { Name = name };
        }

        return string.IsNullOrEmpty(instrument.Description)
            ? new MetricStreamConfiguration { Description = $"{instrument.Name} of the {instrument.Meter.Name} meter" }
            : null;
    }
}
