namespace HvsGrains.Grains.Features;

/// <summary>What <see cref="ModuleFeatureState.Apply"/> did with a reading.</summary>
public enum ApplyOutcome
{
    Applied,
    Late,
    Duplicate,
}
