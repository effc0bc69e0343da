namespace HvsGrains.Grains.Warehouse;

/// <summary>An operator's judgement of an alarm, kept as a label for the model's next training.</summary>
[GenerateSerializer, Alias("hvs.alarm-verdict")]
public enum AlarmVerdict
{
    /// <summary>A real hazard (or its precursor) was there.</summary>
    TrueAlarm,

    /// <summary>Nothing was wrong with the module: the alarm should not have been raised.</summary>
    FalseAlarm,

    /// <summary>Raised on purpose (a drill, a sensor test); neither label for training.</summary>
    Test,
}

public static class AlarmVerdicts
{
    /// <summary>The names the API takes: kebab-case as documented, or the enum's own name.</summary>
    public static IReadOnlyList<string> Names { get; } = ["true-alarm", "false-alarm", "test"];

    /// <summary>Parses "true-alarm", "TrueAlarm", "true_alarm" (any case); numbers are not verdicts.</summary>
    public static bool TryParse(string? text, out AlarmVerdict verdict)
    {
        verdict = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var name = text.Trim().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        return name.Length > 0 && char.IsLetter(name[0]) && Enum.TryParse(name, ignoreCase: true, out verdict) && Enum.IsDefined(verdict);
    }
}
