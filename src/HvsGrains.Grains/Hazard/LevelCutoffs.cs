namespace HvsGrains.Grains.Hazard;

/// <summary>
/// A copy of one <see cref="LevelThresholds"/> on the stack: the policy reads thresholds per rule and
/// reading, and a model's own thresholds would otherwise need a new object every reading.
/// </summary>
internal readonly record struct LevelCutoffs(double? Watch, double? Warning, double? Critical, double ClearMargin)
{
    public double? ThresholdOf(HazardLevel level) => level switch
    {
        HazardLevel.Watch => Watch,
        HazardLevel.Warning => Warning,
        HazardLevel.Critical => Critical,
        _ => null,
    };

    /// <summary>The highest level whose threshold minus <paramref name="margin"/> the value reaches.</summary>
    public HazardLevel LevelOf(double value, double margin = 0) =>
        Critical is { } critical && value >= critical - margin ? HazardLevel.Critical
        : Warning is { } warning && value >= warning - margin ? HazardLevel.Warning
        : Watch is { } watch && value >= watch - margin ? HazardLevel.Watch
        : HazardLevel.Normal;
}
