namespace HvsGrains.Silo.Endpoints;

/// <summary>How often a malformed request may cost a log line, bound from section "Hvs:ClientErrors".</summary>
public sealed class ClientErrorLogOptions
{
    public const string SectionName = "Hvs:ClientErrors";

    /// <summary>At most one line per interval; it counts the client errors left out since the line before.</summary>
    public TimeSpan LogInterval { get; set; } = TimeSpan.FromSeconds(10);
}
