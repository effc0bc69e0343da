using System.Text.Json;
using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.Tests.Readings;

public class ReadingValidatorTests
{
    private static readonly DateTimeOffset Now = TestReadings.Start.AddMinutes(1);
    private readonly ReadingValidator _validator = new();

    [Fact]
    public void Valid_reading_has_no_errors()
    {
        Assert.Empty(_validator.Validate(TestReadings.At(0), Now));
    }

    [Fact]
    public void Missing_measurements_are_valid()
    {
        var reading = new SensorReading("M1", "R1", Now);
        Assert.Empty(_validator.Validate(reading, Now));
    }

    public static TheoryData<SensorChannel> Channels() => [.. Enum.GetValues<SensorChannel>()];

    [Theory]
    [MemberData(nameof(Channels))]
    public void Out_of_range_value_is_rejected_on_its_json_field(SensorChannel channel)
    {
        var info = SensorChannels.Get(channel);
        foreach (var bad in new[] { info.PhysicalMax + 1, info.PhysicalMin - 1, double.NaN, double.PositiveInfinity })
        {
            var reading = TestReadings.At(0).With(channel, bad);
            var error = Assert.Single(_validator.Validate(reading, Now));
            Assert.Equal(info.JsonName, error.Field);
        }

        Assert.Empty(_validator.Validate(TestReadings.At(0).With(channel, info.PhysicalMax).With(SensorChannel.MaxSurfaceTemp, 1200), Now));
    }

    [Theory]
    [InlineData(104.9, true)]
    [InlineData(-4.9, true)]
    [InlineData(105.1, false)]
    [InlineData(-5.1, false)]
    public void Soc_tolerates_small_bms_overshoot(double soc, bool valid)
    {
        var errors = _validator.Validate(TestReadings.At(0) with { SocPercent = soc }, Now);
        Assert.Equal(valid, errors.Count == 0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    [InlineData("slash/id")]
    [InlineData("ünïcode")]
    public void Bad_ids_are_rejected_per_field(string id)
    {
        var moduleError = Assert.Single(_validator.Validate(TestReadings.At(0) with { ModuleId = id }, Now));
        Assert.Equal("moduleId", moduleError.Field);
        var rackError = Assert.Single(_validator.Validate(TestReadings.At(0) with { RackId = id }, Now));
        Assert.Equal("rackId", rackError.Field);
    }

    [Fact]
    public void Id_length_is_limited_to_128()
    {
        Assert.Empty(_validator.Validate(TestReadings.At(0) with { ModuleId = new string('a', 128) }, Now));
        var error = Assert.Single(_validator.Validate(TestReadings.At(0) with { ModuleId = new string('a', 129) }, Now));
        Assert.Equal("moduleId", error.Field);
        Assert.Empty(_validator.Validate(TestReadings.At(0) with { ModuleId = "Site-1:Rack_A2.Module-01" }, Now));
    }

    [Fact]
    public void Timestamp_more_than_five_minutes_ahead_is_rejected()
    {
        var ok = TestReadings.At(0) with { Timestamp = Now.AddMinutes(4.9) };
        Assert.Empty(_validator.Validate(ok, Now));
        var ahead = TestReadings.At(0) with { Timestamp = Now.AddMinutes(5.1) };
        Assert.Equal("timestamp", Assert.Single(_validator.Validate(ahead, Now)).Field);
        var epoch = TestReadings.At(0) with { Timestamp = DateTimeOffset.UnixEpoch };
        Assert.Equal("timestamp", Assert.Single(_validator.Validate(epoch, Now)).Field);
    }

    [Fact]
    public void Max_surface_below_average_is_rejected()
    {
        var slightly = TestReadings.At(0) with { AvgSurfaceTempC = 30, MaxSurfaceTempC = 29.6 };
        Assert.Empty(_validator.Validate(slightly, Now));
        var inverted = TestReadings.At(0) with { AvgSurfaceTempC = 30, MaxSurfaceTempC = 28 };
        Assert.Equal("maxSurfaceTempC", Assert.Single(_validator.Validate(inverted, Now)).Field);
    }

    [Fact]
    public void Several_bad_fields_are_all_reported()
    {
        var reading = TestReadings.At(0) with { RackId = "", CoPpm = -3, VoltageV = double.NaN };
        var fields = _validator.Validate(reading, Now).Select(e => e.Field).Order().ToArray();
        Assert.Equal(["coPpm", "rackId", "voltageV"], fields);
    }

    [Fact]
    public void Json_names_match_camel_case_serialization_and_round_trip()
    {
        var reading = TestReadings.At(0);
        var json = JsonSerializer.Serialize(reading, JsonSerializerOptions.Web);
        using var doc = JsonDocument.Parse(json);
        foreach (var info in SensorChannels.All)
        {
            Assert.True(doc.RootElement.TryGetProperty(info.JsonName, out _), info.JsonName);
        }

        Assert.Equal(reading, JsonSerializer.Deserialize<SensorReading>(json, JsonSerializerOptions.Web));
    }

    [Theory]
    [MemberData(nameof(Channels))]
    public void One_implausible_channel_is_kept_out_while_the_reading_is_kept(SensorChannel channel)
    {
        var info = SensorChannels.Get(channel);
        var reading = TestReadings.At(0).With(channel, info.PhysicalMax + 1);

        var check = _validator.Check(reading, Now);

        Assert.False(check.Refused);
        Assert.Equal([info.JsonName], check.InvalidChannels.Select(e => e.Field));
        Assert.Equal([info.JsonName], _validator.ImplausibleChannels(reading).Select(e => e.Field));
    }

    [Fact]
    public void A_reading_with_no_plausible_channel_or_a_bad_id_or_time_is_still_refused_with_the_fields_named()
    {
        var absurd = new SensorReading("M1", "R1", Now, VoltageV: -1, AvgSurfaceTempC: 5000, MaxSurfaceTempC: double.NaN);
        var absurdCheck = _validator.Check(absurd, Now);
        Assert.True(absurdCheck.Refused);
        Assert.Equal(["voltageV", "avgSurfaceTempC", "maxSurfaceTempC"], absurdCheck.Errors.Select(e => e.Field));
        Assert.Empty(absurdCheck.InvalidChannels);

        var badId = TestReadings.At(0) with { ModuleId = "bad id/", CoPpm = -3 };
        var badIdCheck = _validator.Check(badId, Now);
        Assert.Equal(["moduleId"], badIdCheck.Errors.Select(e => e.Field));
        Assert.Equal(["coPpm"], badIdCheck.InvalidChannels.Select(e => e.Field));

        Assert.Equal(["timestamp"], _validator.Check(TestReadings.At(0) with { Timestamp = Now.AddHours(1) }, Now).Errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData("Ambient_Temp_C", SensorChannel.AmbientTemp)]
    [InlineData("Ambient_Temp_Rack_C", SensorChannel.AmbientTemp)]
    [InlineData("module_max_surface_temp_c", SensorChannel.MaxSurfaceTemp)]
    [InlineData("Sim_OffGas_H2_ppm_proxy", SensorChannel.H2)]
    public void Csv_columns_and_aliases_map_to_channels(string column, SensorChannel expected)
    {
        Assert.True(SensorChannels.TryFindByCsvColumn(column, out var channel));
        Assert.Equal(expected, channel);
        Assert.False(SensorChannels.TryFindByCsvColumn("Timestamp", out _));
    }
}
