using System.Buffers;
using System.Globalization;

namespace HvsGrains.Grains.Readings;

/// <summary>
/// Checks one reading field by field so the front door can reject a bad reading with a precise
/// error while keeping the good ones of the same batch. Missing (null) measurements are valid.
/// One implausible channel does not cost the reading: <see cref="Check"/> marks it invalid (the
/// module imputes it and reports a sensor fault); only a reading with no plausible channel left,
/// or a bad id or timestamp, is refused.
/// </summary>
public sealed class ReadingValidator(ReadingLimits limits)
{
    public ReadingValidator()
        : this(ReadingLimits.Default)
    {
    }

    public ReadingLimits Limits { get; } = limits ?? throw new ArgumentNullException(nameof(limits));

    /// <summary>Every problem of <paramref name="reading"/>, a single implausible channel included; empty when all is plausible.</summary>
    public IReadOnlyList<ReadingError> Validate(SensorReading? reading, DateTimeOffset now)
    {
        var check = Check(reading, now);
        return [.. check.Errors, .. check.InvalidChannels];
    }

    /// <summary>
    /// Splits the problems of <paramref name="reading"/> into those that refuse it (ids, timestamp, no
    /// plausible channel left) and implausible channels it is kept without.
    /// </summary>
    public ReadingCheck Check(SensorReading? reading, DateTimeOffset now)
    {
        var all = Problems(reading, now);
        var channels = all.Where(e => SensorChannels.TryFindByJsonName(e.Field, out _)).ToList();
        var measured = reading is null ? 0 : SensorChannels.All.Count(c => reading.Get(c.Channel) is not null);
        var plausibleLeft = measured - channels.Select(e => e.Field).Distinct().Count();
        return channels.Count == 0 || plausibleLeft == 0
            ? new ReadingCheck(all, [])
            : new ReadingCheck([.. all.Except(channels)], channels);
    }

    /// <summary>
    /// The implausible channels of an accepted reading, by JSON name: what a module sets to missing.
    /// Judged on the reading alone (no clock), so a replay from the log judges exactly as live did.
    /// </summary>
    public IReadOnlyList<ReadingError> ImplausibleChannels(SensorReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        return Problems(reading, reading.Timestamp).Where(e => SensorChannels.TryFindByJsonName(e.Field, out _)).ToList();
    }

    private List<ReadingError> Problems(SensorReading? reading, DateTimeOffset now)
    {
        if (reading is null)
        {
            return [new("reading", "reading is missing")];
        }

        var errors = new List<ReadingError>();
        CheckId("moduleId", reading.ModuleId, errors);
        CheckId("rackId", reading.RackId, errors);

        if (reading.Timestamp > now + Limits.MaxFutureSkew)
        {
            errors.Add(new("timestamp", $"timestamp {Format(reading.Timestamp)} is more than {Limits.MaxFutureSkew.TotalMinutes:0.#} min ahead of server time {Format(now)}"));
        }
        else if (reading.Timestamp < Limits.MinTimestamp)
        {
            errors.Add(new("timestamp", $"timestamp {Format(reading.Timestamp)} is before {Format(Limits.MinTimestamp)} (unset sensor clock?)"));
        }

        foreach (var info in SensorChannels.All)
        {
            if (reading.Get(info.Channel) is not { } value)
            {
                continue;
            }

            if (!double.IsFinite(value))
            {
                errors.Add(new(info.JsonName, "must be a finite number"));
                continue;
            }

            var (min, max) = Limits.RangeFor(info.Channel);
            if (value < min || value > max)
            {
                errors.Add(new(info.JsonName, string.Create(CultureInfo.InvariantCulture, $"{value} {info.Unit} is outside the physically possible range {min}..{max} {info.Unit}")));
            }
        }

        // Only compare two values that are each valid, so one bad sensor yields one error.
        var surfaceValid = !errors.Exists(e => e.Field is "maxSurfaceTempC" or "avgSurfaceTempC");
        if (surfaceValid && reading.MaxSurfaceTempC is { } maxT && reading.AvgSurfaceTempC is { } avgT
            && maxT < avgT - Limits.SurfaceSpreadToleranceC)
        {
            errors.Add(new("maxSurfaceTempC", string.Create(CultureInfo.InvariantCulture, $"max surface {maxT} °C is below average surface {avgT} °C")));
        }

        return errors;
    }

    private void CheckId(string field, string? id, List<ReadingError> errors)
    {
        if (IdProblem(id) is { } reason)
        {
            errors.Add(new(field, reason));
        }
    }

    /// <summary>True for an id a reading may carry: only such an id can name a module or rack that has reported.</summary>
    public bool IsAcceptableId(string? id) => IdProblem(id) is null;

    /// <summary>Why a reading may not carry <paramref name="id"/>, or null when it may.</summary>
    private string? IdProblem(string? id) =>
        string.IsNullOrEmpty(id) ? "must not be empty"
        : id.Length > Limits.MaxIdLength ? $"is {id.Length} characters; at most {Limits.MaxIdLength} allowed"
        : id.AsSpan().ContainsAnyExcept(SafeIdChars) ? "may contain only letters, digits and _ . : -"
        : null;

    // ASCII only: ids end up in URLs, file names and SQL keys.
    private static readonly SearchValues<char> SafeIdChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-");

    private static string Format(DateTimeOffset t) => t.ToString("O", CultureInfo.InvariantCulture);
}
