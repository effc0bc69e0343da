namespace HvsGrains.Runtime;

/// <summary>Runtime settings, bound from configuration section "Hvs:Runtime".</summary>
public sealed class GrainRuntimeOptions
{
    public const string SectionName = "Hvs:Runtime";

    /// <summary>An activation idle this long is deactivated (Orleans' default is 15 minutes).</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for.</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long shutdown waits for every grain to deactivate and write its state.</summary>
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Sends in-process calls through the wire codec (tests use it to prove remote readiness).</summary>
    public bool RoundTripCallsThroughCodec { get; set; }
}
