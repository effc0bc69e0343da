using HvsGrains.Silo.Dashboard.Metrics;

namespace HvsGrains.Silo.Dashboard;

/// <summary>/api/v1/cluster: the cluster page's figures, from the silo's meters.</summary>
public static class ClusterEndpoints
{
    private const int MaxMinutes = 10;

    public static RouteGroupBuilder MapClusterEndpoints(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/cluster", GetCluster)
            .WithSummary("Silos, activations, grain calls and latency, mailboxes, ingest and scoring, with per-second history (read key)");
        api.MapGet("/dashboard/key", () => TypedResults.Ok(new { role = "read" }))
            .WithSummary("Answers 200 for the read key: the dashboard checks the key a person enters");
        return api;
    }

    private static ClusterReport GetCluster(int? minutes, ClusterMetricsCollector collector, TimeProvider clock)
    {
        var span = TimeSpan.FromMinutes(Math.Clamp(minutes ?? MaxMinutes, 1, MaxMinutes));
        var samples = collector.Samples(span);
        if (samples.Count == 0)
        {
            samples = [collector.Sample()];
        }

        return ClusterReports.Build(collector, samples, clock.GetUtcNow());
    }
}
