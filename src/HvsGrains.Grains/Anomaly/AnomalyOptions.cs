namespace HvsGrains.Grains.Anomaly;

/// <summary>The anomaly score (an Isolation Forest in the hazard model's graph), bound from "Hvs:Anomaly".</summary>
public sealed class AnomalyOptions
{
    public const string SectionName = "Hvs:Anomaly";

    /// <summary>False never asks ONNX Runtime for the score: no cost per reading, no advisories.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Sensor time a module's score must stay at or above the threshold before its advisory is raised: a single
    /// odd reading is not a pattern (0 raises on the first).</summary>
    public TimeSpan RaiseAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Sensor time a module's score must stay below the threshold before its advisory clears (no flicker).</summary>
    public TimeSpan ClearAfter { get; set; } = TimeSpan.FromMinutes(2);
}
