namespace HvsGrains.Simulation.Dataset.Site;

/// <summary>Where a site row's label came from, written in the Label_Source column.</summary>
public static class SiteLabelSource
{
    /// <summary>The module an operator judged a true alarm, within the label window of its cause: label 1.</summary>
    public const string TrueAlarm = "true-alarm";

    /// <summary>A module of an alarm an operator judged false, within its window: label 0, confidently.</summary>
    public const string FalseAlarm = "false-alarm";

    /// <summary>
    /// A module of an alarm nobody judged (or the other modules of a true alarm's event) within its window: label 0
    /// but unknown; the training pipeline does not fit these rows.
    /// </summary>
    public const string UnjudgedAlarm = "unjudged-alarm";

    /// <summary>No alarm near: label 0, the site's normal operation as far as anyone knows.</summary>
    public const string NoAlarm = "no-alarm";

    /// <summary>Every source, from the most to the least certain.</summary>
    public static IReadOnlyList<string> All { get; } = [TrueAlarm, FalseAlarm, UnjudgedAlarm, NoAlarm];
}
