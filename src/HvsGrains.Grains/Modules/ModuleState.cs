using HvsGrains.Grains.Features;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.Modules;

/// <summary>What a module grain persists: a snapshot of its windows plus its hazard memory.</summary>
public sealed class ModuleState
{
    public string? RackId { get; set; }

    public ModuleFeatureSnapshot? Features { get; set; }

    public HazardMemory Memory { get; set; } = HazardMemory.Initial;

    public HazardAssessment? Assessment { get; set; }

    public string? ModelVersion { get; set; }

    public SensorReading? LatestReading { get; set; }

    /// <summary>Highest readings-log sequence applied.</summary>
    public long LastSequence { get; set; }
}
