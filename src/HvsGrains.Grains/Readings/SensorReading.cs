namespace HvsGrains.Grains.Readings;

/// <summary>
/// One sample from a battery module's sensors. A null measurement means the sensor did not report;
/// the feature pipeline forward-fills it. Positional so System.Text.Json (camelCase) round-trips it.
/// </summary>
[GenerateSerializer, Immutable, Alias("hvs.sensor-reading")]
public sealed record SensorReading(
    [Id(0)] string ModuleId,
    [Id(1)] string RackId,
    [Id(2)] DateTimeOffset Timestamp,
    [Id(3)] double? VoltageV = null,
    [Id(4)] double? CurrentA = null,
    [Id(5)] double? SocPercent = null,
    [Id(6)] double? AvgSurfaceTempC = null,
    [Id(7)] double? MaxSurfaceTempC = null,
    [Id(8)] double? AmbientTempC = null,
    [Id(9)] double? CoPpm = null,
    [Id(10)] double? H2Ppm = null,
    [Id(11)] double? VocPpm = null)
{
    /// <summary>
    /// A rack's own reading (its gas detector) is logged under this id: the rack id and "/rack". No module id
    /// can be it (ids may not contain '/'), so rack readings keep their own key in the log.
    /// </summary>
    public static string RackSensorId(string rackId) => rackId + "/rack";

    /// <summary>True for a reading of the rack's own sensors (sent without a module id).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsRackReading => ModuleId.Length == RackId.Length + 5 && ModuleId.EndsWith("/rack", StringComparison.Ordinal) && ModuleId.StartsWith(RackId, StringComparison.Ordinal);

    /// <summary>The channels a rack's own reading may carry: room air and gas.</summary>
    public static bool IsRackChannel(SensorChannel channel) => channel is SensorChannel.AmbientTemp or SensorChannel.Co or SensorChannel.H2 or SensorChannel.Voc;

    /// <summary>The measurement of <paramref name="channel"/>, or null when it is missing.</summary>
    public double? Get(SensorChannel channel) => channel switch
    {
        SensorChannel.Voltage => VoltageV,
        SensorChannel.Current => CurrentA,
        SensorChannel.Soc => SocPercent,
        SensorChannel.AvgSurfaceTemp => AvgSurfaceTempC,
        SensorChannel.MaxSurfaceTemp => MaxSurfaceTempC,
        SensorChannel.AmbientTemp => AmbientTempC,
        SensorChannel.Co => CoPpm,
        SensorChannel.H2 => H2Ppm,
        SensorChannel.Voc => VocPpm,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "Unknown sensor channel."),
    };

    /// <summary>A copy with <paramref name="channel"/> set to <paramref name="value"/> (used by CSV readers and tests).</summary>
    public SensorReading With(SensorChannel channel, double? value) => channel switch
    {
        SensorChannel.Voltage => this with { VoltageV = value },
        SensorChannel.Current => this with { CurrentA = value },
        SensorChannel.Soc => this with { SocPercent = value },
        SensorChannel.AvgSurfaceTemp => this with { AvgSurfaceTempC = value },
        SensorChannel.MaxSurfaceTemp => this with { MaxSurfaceTempC = value },
        SensorChannel.AmbientTemp => this with { AmbientTempC = value },
        SensorChannel.Co => this with { CoPpm = value },
        SensorChannel.H2 => this with { H2Ppm = value },
        SensorChannel.Voc => this with { VocPpm = value },
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "Unknown sensor channel."),
    };
}
