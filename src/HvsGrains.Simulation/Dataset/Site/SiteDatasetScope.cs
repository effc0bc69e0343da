namespace HvsGrains.Simulation.Dataset.Site;

/// <summary>What a site export covers: the site, rows with <see cref="From"/> ≤ timestamp &lt; <see cref="To"/>, the racks read.</summary>
public sealed record SiteDatasetScope(string SiteId, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<string> Racks)
{
    /// <summary>
    /// Readings this long before <see cref="From"/> are fed to the features but not written, so the first rows have the
    /// full rolling windows (10 minutes, the longest) the grain had at that time.
    /// </summary>
    public static TimeSpan WarmUp { get; } = TimeSpan.FromMinutes(10);
}
