namespace HvsGrains.Silo.Ingest;

/// <summary>How committed readings are handed to their module grains, bound from "Hvs:Ingest:Dispatch".</summary>
public sealed class ModuleDispatchOptions
{
    public const string SectionName = "Hvs:Ingest:Dispatch";

    /// <summary>
    /// Lanes that call module grains side by side. A module always uses the same lane, so its readings
    /// arrive in commit order; more lanes share the calls over more threads.
    /// </summary>
    public int Lanes { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Acknowledge a batch only when its modules have applied it (<see cref="AppliedDelivery"/>) rather than when the log
    /// committed it. Unset: on in cluster mode (several front doors feed one module), off in the embedded default, where
    /// the commit-order lanes keep order and the acknowledgement does not wait for the grains.
    /// </summary>
    public bool? AcknowledgeWhenApplied { get; set; }
}
