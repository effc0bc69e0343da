using System.CommandLine.Parsing;
using System.Globalization;

namespace HvsGrains.Simulation.Cli;

/// <summary>Parses durations such as 90s, 10m, 2h, 1.5d or 01:30:00.</summary>
internal static class Durations
{
    public static TimeSpan Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        text = text.Trim();
        double Number(int suffix) => double.Parse(text[..^suffix], NumberStyles.Float, CultureInfo.InvariantCulture);
        return text[^1] switch
        {
            's' or 'S' => TimeSpan.FromSeconds(Number(1)),
            'm' or 'M' => TimeSpan.FromMinutes(Number(1)),
            'h' or 'H' => TimeSpan.FromHours(Number(1)),
            'd' or 'D' => TimeSpan.FromDays(Number(1)),
            _ when text.Contains(':', StringComparison.Ordinal) => TimeSpan.Parse(text, CultureInfo.InvariantCulture),
            _ => TimeSpan.FromSeconds(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)),
        };
    }

    /// <summary>Custom parser for <c>Option&lt;TimeSpan&gt;</c>.</summary>
    public static TimeSpan FromArgument(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        try
        {
            return Parse(text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            result.AddError($"'{text}' is not a duration (e.g. 90s, 10m, 2h, 1d).");
            return TimeSpan.Zero;
        }
    }
}
