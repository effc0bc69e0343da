using System.Diagnostics.CodeAnalysis;

namespace HvsGrains.Silo.Endpoints;

/// <summary>
/// The time range of a module's history query: 'to' defaults to now and 'from' to an hour before 'to'. Worked out in
/// UTC and checked first, so no default or extreme value (year 1, year 9999, any offset) steps outside what a time can hold.
/// </summary>
internal readonly record struct HistoryRange(DateTimeOffset From, DateTimeOffset To)
{
    public static readonly TimeSpan DefaultSpan = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaxSpan = TimeSpan.FromDays(7);

    /// <summary>False with a problem naming the parameter at fault when the range is out of bounds.</summary>
    public static bool TryResolve(DateTimeOffset? from, DateTimeOffset? to, DateTimeOffset now, out HistoryRange range, [NotNullWhen(false)] out IResult? problem)
    {
        range = default;
        var until = (to ?? now).ToUniversalTime();
        if (from is null && until.UtcTicks - DateTimeOffset.MinValue.UtcTicks < DefaultSpan.Ticks)
        {
            problem = Invalid("to", $"{until:O} leaves no room for the default range of the hour before it; give 'from' too");
            return false;
        }

        var since = from?.ToUniversalTime() ?? until - DefaultSpan;
        problem = since >= until ? Invalid("from", to is null ? "must be before 'to', which is now when not given" : "must be before 'to'")
            : until - since > MaxSpan ? Invalid("to", $"the range may span at most {MaxSpan.TotalDays} days")
            : null;
        range = new HistoryRange(since, until);
        return problem is null;
    }

    private static IResult Invalid(string parameter, string reason) =>
        Problems.Field(StatusCodes.Status400BadRequest, "Invalid time range", parameter, reason);
}
