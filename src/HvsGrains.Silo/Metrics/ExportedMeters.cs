namespace HvsGrains.Silo.Metrics;

/// <summary>The meters /metrics exports. All are built in or our own: .NET 10 needs no instrumentation packages.</summary>
public static class ExportedMeters
{
    public static readonly IReadOnlyList<string> Names =
    [
        // Every HvsGrains meter: HvsGrains.Silo (ingest, readings log), .Scoring, .Grains (modules), .Warehouse (site, alarms),
        // .Orleans (Orleans' latencies in seconds).
        "HvsGrains.*",
        "Microsoft.Orleans",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "System.Runtime",
    ];
}
