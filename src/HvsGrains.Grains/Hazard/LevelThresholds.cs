namespace HvsGrains.Grains.Hazard;

/// <summary>
/// Values at which a measure reaches each level (null = the measure never raises that level), and
/// the hysteresis margin: a level clears only once the measure is below its threshold minus the margin.
/// A mutable class so it binds from configuration.
/// </summary>
public sealed class LevelThresholds
{
    public double? Watch { get; set; }

    public double? Warning { get; set; }

    public double? Critical { get; set; }

    public double ClearMargin { get; set; }

    public double? ThresholdOf(HazardLevel level) => Cutoffs.ThresholdOf(level);

    /// <summary>The highest level whose threshold minus <paramref name="margin"/> the value reaches.</summary>
    public HazardLevel LevelOf(double value, double margin = 0) => Cutoffs.LevelOf(value, margin);

    internal LevelCutoffs Cutoffs => new(Watch, Warning, Critical, ClearMargin);

    internal IEnumerable<string> Validate(string name)
    {
        if (!(ClearMargin >= 0) || !double.IsFinite(ClearMargin))
        {
            yield return $"{name}.ClearMargin must be a finite number ≥ 0.";
        }

        double? previous = null;
        foreach (var level in new[] { HazardLevel.Watch, HazardLevel.Warning, HazardLevel.Critical })
        {
            if (ThresholdOf(level) is not { } t)
            {
                continue;
            }

            if (!double.IsFinite(t))
            {
                yield return $"{name}.{level} must be finite.";
            }
            else if (previous is { } p && t <= p)
            {
                yield return $"{name}.{level} ({t}) must be above the lower level's threshold ({p}).";
            }

            previous = t;
        }
    }
}
