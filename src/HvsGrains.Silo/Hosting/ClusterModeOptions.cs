namespace HvsGrains.Silo.Hosting;

/// <summary>
/// The cluster mode, bound from "Hvs:Cluster". Without a connection string the silo runs the embedded default
/// (localhost clustering, grain state in SQLite); with one, membership and grain state live in that PostgreSQL.
/// </summary>
public sealed class ClusterModeOptions
{
    public const string SectionName = "Hvs:Cluster";

    /// <summary>An Npgsql connection string to the cluster's database; empty for the embedded default.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>How often the silo reads its own row in the membership table.</summary>
    public TimeSpan MembershipCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the silo goes on acknowledging readings without the membership table confirming it Active. Kept below
    /// the time Orleans' default probing needs to declare an unreachable silo dead (3 missed probes of up to 10 s,
    /// then votes), so a silo cut off from the table stops taking readings before its grains can start elsewhere.
    /// </summary>
    public TimeSpan MembershipLostAfter { get; set; } = TimeSpan.FromSeconds(15);

    public bool IsClusterMode => !string.IsNullOrWhiteSpace(ConnectionString);
}
