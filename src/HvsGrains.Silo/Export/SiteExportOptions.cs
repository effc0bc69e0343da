namespace HvsGrains.Silo.Export;

/// <summary>The site's dataset export (<c>GET /api/v1/admin/datasets/site</c>), bound from section "Hvs:Export".</summary>
public sealed class SiteExportOptions
{
    public const string SectionName = "Hvs:Export";

    /// <summary>The longest range one export may cover: a rack's readings of the range are held in memory at once.</summary>
    public TimeSpan MaxRange { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long before an alarm's cause its verdict labels the module's rows (the simulator's prediction window).</summary>
    public TimeSpan LabelBefore { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>How long after an alarm's cause its verdict labels the module's rows.</summary>
    public TimeSpan LabelAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Throws when a setting cannot work (a misconfiguration, found at startup).</summary>
    public void EnsureValid()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MaxRange, TimeSpan.Zero, nameof(MaxRange));
        ArgumentOutOfRangeException.ThrowIfLessThan(LabelBefore, TimeSpan.Zero, nameof(LabelBefore));
        ArgumentOutOfRangeException.ThrowIfLessThan(LabelAfter, TimeSpan.Zero, nameof(LabelAfter));
    }
}
