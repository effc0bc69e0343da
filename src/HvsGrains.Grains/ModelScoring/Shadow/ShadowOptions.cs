namespace HvsGrains.Grains.ModelScoring.Shadow;

/// <summary>How shadow trials are reported, bound from "Hvs:Model:Shadow".</summary>
public sealed class ShadowOptions
{
    public const string SectionName = "Hvs:Model:Shadow";

    /// <summary>How often each silo sends what its modules compared to the trial's grain (only when there is news).</summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many differences a trial keeps (the newest); all are counted.</summary>
    public int DifferencesKept { get; set; } = 100;
}
