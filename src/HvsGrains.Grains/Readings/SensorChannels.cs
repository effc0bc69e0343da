namespace HvsGrains.Grains.Readings;

/// <summary>The catalogue of sensor channels, in <see cref="SensorChannel"/> order.</summary>
public static class SensorChannels
{
    /// <summary>Number of channels; every per-channel array in the feature code has this length.</summary>
    public const int Count = 9;

    /// <summary>All channels, indexed by <c>(int)SensorChannel</c>.</summary>
    public static IReadOnlyList<SensorChannelInfo> All { get; } =
    [
        // 1500 V is the DC ceiling of utility battery systems (IEC low-voltage limit); no module exceeds it.
        new(SensorChannel.Voltage, "Module_Voltage_V", [], "voltageV", "V", 0, 1500),
        // ±2000 A is above any module's fuse/contactor rating; beyond it the reading is a wiring fault.
        new(SensorChannel.Current, "Module_Current_A", [], "currentA", "A", -2000, 2000),
        // BMS coulomb counting drifts a little past 0/100 before recalibrating; ±5 keeps those readings
        // (and their temperatures) instead of throwing the whole sample away.
        new(SensorChannel.Soc, "Module_SoC_percent", [], "socPercent", "%", -5, 105),
        // -60 °C is below any storage climate; runaway peaks near 1000 °C, so 1200 keeps real fires.
        new(SensorChannel.AvgSurfaceTemp, "Module_Avg_Surface_Temp_C", [], "avgSurfaceTempC", "°C", -60, 1200),
        new(SensorChannel.MaxSurfaceTemp, "Module_Max_Surface_Temp_C", [], "maxSurfaceTempC", "°C", -60, 1200),
        // Older seed files name the ambient column per rack.
        new(SensorChannel.AmbientTemp, "Ambient_Temp_C", ["Ambient_Temp_Rack_C"], "ambientTempC", "°C", -60, 1200),
        // 1e6 ppm is 100 % by volume: anything above is impossible.
        new(SensorChannel.Co, "Sim_OffGas_CO_ppm_proxy", [], "coPpm", "ppm", 0, 1e6),
        new(SensorChannel.H2, "Sim_OffGas_H2_ppm_proxy", [], "h2Ppm", "ppm", 0, 1e6),
        new(SensorChannel.Voc, "Sim_OffGas_VOC_ppm_proxy", [], "vocPpm", "ppm", 0, 1e6),
    ];

    /// <summary>The catalogue entry of <paramref name="channel"/>.</summary>
    public static SensorChannelInfo Get(SensorChannel channel) => All[(int)channel];

    /// <summary>Finds the channel whose JSON property is <paramref name="jsonName"/> (exact, as errors name it).</summary>
    public static bool TryFindByJsonName(string jsonName, out SensorChannel channel)
    {
        foreach (var info in All)
        {
            if (string.Equals(info.JsonName, jsonName, StringComparison.Ordinal))
            {
                channel = info.Channel;
                return true;
            }
        }

        channel = default;
        return false;
    }

    /// <summary>Finds the channel of a seed CSV column (current name or an older alias), ignoring case.</summary>
    public static bool TryFindByCsvColumn(string column, out SensorChannel channel)
    {
        ArgumentNullException.ThrowIfNull(column);
        foreach (var info in All)
        {
            if (string.Equals(info.CsvColumn, column, StringComparison.OrdinalIgnoreCase)
                || info.CsvAliases.Any(a => string.Equals(a, column, StringComparison.OrdinalIgnoreCase)))
            {
                channel = info.Channel;
                return true;
            }
        }

        channel = default;
        return false;
    }
}
