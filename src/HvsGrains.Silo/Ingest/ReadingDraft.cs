using HvsGrains.Grains.Readings;

namespace HvsGrains.Silo.Ingest;

/// <summary>
/// A reading being assembled from one JSON element or CSV row, with the format errors found so
/// far. One instance is reused for the whole batch to keep 10,000-reading batches cheap.
/// </summary>
internal sealed class ReadingDraft
{
    private readonly double?[] values = new double?[SensorChannels.Count];
    private readonly List<ReadingError> errors = [];
    private int seen;

    public string? ModuleId { get; set; }

    public string? RackId { get; set; }

    public DateTimeOffset? Timestamp { get; set; }

    public IReadOnlyList<ReadingError> Errors => errors;

    public void Reset()
    {
        Array.Clear(values);
        errors.Clear();
        seen = 0;
        ModuleId = null;
        RackId = null;
        Timestamp = null;
    }

    /// <summary>False when <paramref name="field"/> was already given: last-wins would silently hide a value.</summary>
    public bool MarkSeen(int field)
    {
        var bit = 1 << field;
        if ((seen & bit) != 0)
        {
            return false;
        }

        seen |= bit;
        return true;
    }

    public bool WasSeen(int field) => (seen & (1 << field)) != 0;

    public void SetValue(int channel, double? value) => values[channel] = value;

    public void AddError(string field, string reason) => errors.Add(new(field, reason));

    public bool HasErrorFor(string field) => errors.Exists(e => e.Field == field);

    /// <summary>
    /// The reading as parsed. A missing id becomes "" (the validator reports it); a missing timestamp
    /// becomes <paramref name="fallbackTimestamp"/>, which the validator accepts, so the format error
    /// already recorded is the only one reported for it.
    /// </summary>
    /// A reading without a module id but with a rack id is the rack's own (its gas detector).
    public SensorReading ToReading(DateTimeOffset fallbackTimestamp) => new(
        string.IsNullOrEmpty(ModuleId) && !string.IsNullOrEmpty(RackId) ? SensorReading.RackSensorId(RackId) : ModuleId ?? string.Empty,
        RackId ?? string.Empty,
        Timestamp ?? fallbackTimestamp,
        values[0],
        values[1],
        values[2],
        values[3],
        values[4],
        values[5],
        values[6],
        values[7],
        values[8]);
}
