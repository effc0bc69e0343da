namespace HvsGrains.Grains.ModelScoring.Drift;

/// <summary>Drift watch of the model's inputs against its training baseline, bound from "Hvs:Drift" and validated at start.</summary>
public sealed class DriftOptions
{
    public const string SectionName = "Hvs:Drift";

    /// <summary>False: no work per reading at all, and the drift endpoint says drift watch is off.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The recent window: is the site drifting now?</summary>
    public TimeSpan ShortWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The long window: a day, so a daily cycle is not mistaken for drift.</summary>
    public TimeSpan LongWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Each window slides by one bucket (window / buckets: 5 min of the hour, 2 h of the day).</summary>
    public int BucketsPerWindow { get; set; } = 12;

    /// <summary>How often each silo sends its bin counts to the site's drift grain.</summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Fewer readings than this in a window give no verdict (PSI of a handful of readings is noise).</summary>
    public long MinReadings { get; set; } = 1000;

    /// <summary>PSI from which a feature is "moderate" (0.1) and "drifted" (0.25): the usual credit-scoring bands.</summary>
    public double PsiModerate { get; set; } = 0.1;

    public double PsiDrifted { get; set; } = 0.25;

    /// <summary>KS statistic (largest CDF gap at the bin edges) from which a feature is "moderate" and "drifted".</summary>
    public double KsModerate { get; set; } = 0.1;

    public double KsDrifted { get; set; } = 0.2;

    internal DriftThresholds Thresholds => new(PsiModerate, PsiDrifted, KsModerate, KsDrifted, MinReadings);
}
