using System.Text;
using HvsGrains.Grains.Readings;
using HvsGrains.Silo.Ingest;
using static HvsGrains.Silo.Tests.Ingest.IngestTestData;

namespace HvsGrains.Silo.Tests.Ingest;

public sealed class CsvReadingBatchReaderTests
{
    // One bad row between two good ones: the bad one is rejected with this (field, reason),
    // the good ones are kept.
    public static TheoryData<string, string, string> BadRows => new()
    {
        { "2026-11-22 10:00:00,M-001,R-01,abc,-3.5,80,25,26,22,0.5,0.1,1.2,0", "voltageV", "'abc' is not a number" },
        { "2026-11-22 10:00:00,M-001,R-01,52.1,\"3,5\",80,25,26,22,0.5,0.1,1.2,0", "currentA", "'3,5' is not a number" },
        { "2026-11-22 10:00:00,M-001,R-01,52.1,-3.5,80,25,26,22,Infinity,0.1,1.2,0", "coPpm", "must be a finite number" },
        { "2026-11-22 10:00:00,M-001,R-01,52.1,-3.5,80,25,26,22,0.5,1e999,1.2,0", "h2Ppm", "must be a finite number" },
        { "22/11/2026 10:00,M-001,R-01,52.1,-3.5,80,25,26,22,0.5,0.1,1.2,0", "timestamp", "'22/11/2026 10:00' is not a timestamp; expected e.g. 2025-05-01 00:00:00 (UTC) or 2025-05-01T02:00:00+02:00" },
        { ",M-001,R-01,52.1,-3.5,80,25,26,22,0.5,0.1,1.2,0", "timestamp", "is required, e.g. 2026-11-22T10:00:00Z" },
        { "2026-11-22 13:00:00,M-001,R-01,52.1,-3.5,80,25,26,22,0.5,0.1,1.2,0", "timestamp", "timestamp 2026-11-22T13:00:00.0000000+00:00 is more than 5 min ahead of server time 2026-11-22T12:00:00.0000000+00:00" },
        { "2026-11-22 10:00:00,M-001,R-01,52.1,1", "reading", "has 5 cells but the header has 13 columns" },
        { "2026-11-22 10:00:00,M-001,R-01,52.1,-3.5,80,25,26,22,0.5,0.1,1.2,0,extra", "reading", "has 14 cells but the header has 13 columns" },
        { "2026-11-22 10:00:00,,R-01,52.1,-3.5,80,25,26,22,0.5,0.1,1.2,0", "moduleId", "must not be empty" },
        { "2026-11-22 10:00:00,M-001,R/01,52.1,-3.5,80,25,26,22,0.5,0.1,1.2,0", "rackId", "may contain only letters, digits and _ . : -" },
    };

    [Theory]
    [InlineData("2026-11-22 10:00:00,M-001,R-01,52.1,-3.5,80,25,26,22,-1,0.1,1.2,0", "coPpm", "-1 ppm is outside the physically possible range 0..1000000 ppm")]
    [InlineData("2026-11-22 10:00:00,M-001,R-01,52.1,-3.5,80,25,24,22,0.5,0.1,1.2,0", "maxSurfaceTempC", "max surface 24 °C is below average surface 25 °C")]
    public void A_row_with_one_implausible_channel_is_kept_and_the_channel_named(string row, string field, string reason)
    {
        var batch = Csv().Read($"{SeedHeader}\n{GoodCsvRow("M-000")}\n{row}\n", Now);

        Assert.Empty(batch.Rejected);
        Assert.Equal(["M-000", "M-001"], batch.Readings.Select(r => r.Reading.ModuleId));
        var invalid = Assert.Single(batch.InvalidChannels);
        Assert.Equal((1, field, reason), (invalid.Index, invalid.Field, invalid.Reason));
    }

    [Theory]
    [MemberData(nameof(BadRows))]
    public void Bad_row_is_rejected_and_the_others_are_kept(string badRow, string field, string reason)
    {
        var csv = $"{SeedHeader}\n{GoodCsvRow("M-000")}\n{badRow}\n{GoodCsvRow("M-002")}\n";

        var batch = Csv().Read(csv, Now);

        AssertOnlyMiddleRejected(batch, field, reason);
        Assert.Equal(["M-000", "M-002"], batch.Readings.Select(r => r.Reading.ModuleId));
    }

    [Fact]
    public void Every_problem_of_one_row_is_reported()
    {
        var csv = $"{SeedHeader}\n{GoodCsvRow("M-000")}\nsoon,M 1,R-01,x,-3.5,80,25,26,22,0.5,0.1,1.2,0\n{GoodCsvRow("M-002")}";

        var batch = Csv().Read(csv, Now);

        Assert.Equal(
            [
                (1, "timestamp", "'soon' is not a timestamp; expected e.g. 2025-05-01 00:00:00 (UTC) or 2025-05-01T02:00:00+02:00"),
                (1, "voltageV", "'x' is not a number"),
                (1, "moduleId", "may contain only letters, digits and _ . : -"),
            ],
            batch.Rejected.Select(r => (r.Index, r.Field, r.Reason)));
        Assert.Equal([0, 2], batch.Readings.Select(r => r.Index));
    }

    [Fact]
    public void Seed_file_with_labels_features_and_NaN_cells_is_read()
    {
        const string seed = """
            Timestamp,Module_ID,Rack_ID,Scenario_Id,Module_Voltage_V,Module_Current_A,Module_SoC_percent,Module_Avg_Surface_Temp_C,Module_Max_Surface_Temp_C,Ambient_Temp_Rack_C,Sim_OffGas_CO_ppm_proxy,Sim_OffGas_H2_ppm_proxy,Sim_OffGas_VOC_ppm_proxy,Module_Avg_Surface_Temp_C_roll_mean_5m,Hazard_Label
            2025-05-01 00:00:00,M-01,R-01,S-7,51.2,-10.5,78.5,24.1,24.9,21.0,0.0,0.0,0.3,24.0,0
            2025-05-01 00:00:10,M-01,R-01,S-7,,NaN,nan,24.2,25.0,NA,null,0.1,0.3,,0
            2025-05-01 00:00:20,M-01,R-01,S-7,51.1,-10.4,78.4,61.5,75.0,21.1,150.2,80.9,40.0,30.0,2

            """;

        var batch = Csv().Read(seed, Now);

        Assert.Empty(batch.Rejected);
        Assert.Equal(3, batch.Total);
        var first = batch.Readings[0].Reading;
        Assert.Equal(
            new SensorReading("M-01", "R-01", new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.Zero), 51.2, -10.5, 78.5, 24.1, 24.9, 21.0, 0.0, 0.0, 0.3),
            first);
        var gappy = batch.Readings[1].Reading;
        Assert.Equal(new DateTimeOffset(2025, 5, 1, 0, 0, 10, TimeSpan.Zero), gappy.Timestamp);
        Assert.Equal((null, null, null, 24.2, 25.0, null, null, 0.1), (gappy.VoltageV, gappy.CurrentA, gappy.SocPercent, gappy.AvgSurfaceTempC, gappy.MaxSurfaceTempC, gappy.AmbientTempC, gappy.CoPpm, gappy.H2Ppm));
        Assert.Equal(150.2, batch.Readings[2].Reading.CoPpm);
    }

    [Theory]
    [InlineData("2025-05-01 00:00:00", "2025-05-01T00:00:00+00:00")]
    [InlineData("2025-05-01T00:00:00", "2025-05-01T00:00:00+00:00")]
    [InlineData("2025-05-01T00:00:00.125", "2025-05-01T00:00:00.125+00:00")]
    [InlineData("2025-05-01 00:00", "2025-05-01T00:00:00+00:00")]
    [InlineData("2025-05-01T00:00:00Z", "2025-05-01T00:00:00+00:00")]
    [InlineData("2025-05-01T02:00:00+02:00", "2025-05-01T02:00:00+02:00")]
    [InlineData("2025-05-01 02:00:00.5+02:00", "2025-05-01T02:00:00.5+02:00")]
    [InlineData("2025-04-30T19:00:00-05:00", "2025-04-30T19:00:00-05:00")]
    public void Timestamps_without_offset_are_utc_and_offsets_are_preserved(string cell, string expected)
    {
        var batch = Csv().Read($"Timestamp,Module_ID,Rack_ID\n{cell},M-1,R-1\n", Now);

        var timestamp = Assert.Single(batch.Readings).Reading.Timestamp;
        var want = DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(want, timestamp);
        Assert.Equal(want.Offset, timestamp.Offset);
    }

    [Fact]
    public void Header_is_case_insensitive_and_missing_sensor_columns_are_null()
    {
        var batch = Csv().Read("timestamp , MODULE_ID,rack_id,module_voltage_v,VOCPPM\n2026-11-22 10:00:00, M-1 ,R-1,50.5,2\n", Now);

        var reading = Assert.Single(batch.Readings).Reading;
        Assert.Equal(new SensorReading("M-1", "R-1", TenOClock, VoltageV: 50.5, VocPpm: 2), reading);
    }

    [Fact]
    public void Header_only_is_an_empty_batch()
    {
        var batch = Csv().Read(SeedHeader + "\n", Now);

        Assert.Equal((0, 0, 0), (batch.Total, batch.Readings.Count, batch.Rejected.Count));
    }

    [Fact]
    public void Blank_lines_are_skipped_and_not_counted()
    {
        var batch = Csv().Read($"{SeedHeader}\n\n{GoodCsvRow("M-0")}\n\n\n{GoodCsvRow("M-1")}\n", Now);

        Assert.Equal([(0, "M-0"), (1, "M-1")], batch.Readings.Select(r => (r.Index, r.Reading.ModuleId)));
        Assert.Equal(2, batch.Total);
    }

    [Fact]
    public void Duplicate_rows_are_both_kept()
    {
        var batch = Csv().Read($"{SeedHeader}\r\n{GoodCsvRow()}\r\n{GoodCsvRow()}\r\n", Now);

        Assert.Equal(2, batch.Readings.Count);
        Assert.Equal(batch.Readings[0].Reading, batch.Readings[1].Reading);
    }

    [Fact]
    public async Task Stream_bytes_and_text_give_the_same_batch()
    {
        var csv = $"{SeedHeader}\n{GoodCsvRow("M-0")}\n{GoodCsvRow("bad id")}\n";
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv)).ToArray();
        using var stream = new MemoryStream(bytes);

        var fromStream = await Csv().ReadAsync(stream, Now);
        var fromBytes = Csv().Read(bytes, Now);
        var fromText = Csv().Read("\uFEFF" + csv, Now);

        foreach (var batch in new[] { fromBytes, fromText })
        {
            Assert.Equal(fromStream.Readings, batch.Readings);
            Assert.Equal(fromStream.Rejected, batch.Rejected);
        }

        Assert.Equal([0], fromStream.Readings.Select(r => r.Index));
        Assert.Equal([new RejectedReading(1, "moduleId", "may contain only letters, digits and _ . : -")], fromStream.Rejected);
    }

    [Theory]
    [InlineData("Timestamp")]
    [InlineData("Module_ID")]
    [InlineData("Rack_ID")]
    public void Missing_required_column_fails_the_batch(string column)
    {
        var header = SeedHeader.Replace(column + ",", "Dropped,", StringComparison.Ordinal);

        var ex = Assert.Throws<BatchFormatException>(() => Csv().Read($"{header}\n{GoodCsvRow()}\n", Now));

        Assert.Equal((400, column, $"required column '{column}' is missing from the CSV header"), (ex.StatusCode, ex.Field, ex.Reason));
    }

    [Fact]
    public void Same_field_in_two_columns_fails_the_batch()
    {
        var ex = Assert.Throws<BatchFormatException>(() => Csv().Read($"{SeedHeader},Ambient_Temp_Rack_C\n", Now));

        Assert.Equal((400, "Ambient_Temp_Rack_C", "column 'Ambient_Temp_Rack_C' is the same field as column 'Ambient_Temp_C'; give it once"), (ex.StatusCode, ex.Field, ex.Reason));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n  \n")]
    public void Empty_csv_fails_the_batch(string csv)
    {
        var ex = Assert.Throws<BatchFormatException>(() => Csv().Read(csv, Now));

        Assert.Equal((400, "body"), (ex.StatusCode, ex.Field));
        Assert.StartsWith("must be CSV with a header row", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Stray_quote_fails_the_batch()
    {
        var csv = $"{SeedHeader}\n{GoodCsvRow("M-0")}\n{GoodCsvRow("M\"1")}\n";

        var ex = Assert.Throws<BatchFormatException>(() => Csv().Read(csv, Now));

        Assert.Equal((400, "body", "is not valid CSV at line 3: a quote inside an unquoted cell"), (ex.StatusCode, ex.Field, ex.Reason));
    }

    [Fact]
    public void Invalid_utf8_fails_the_batch()
    {
        var bytes = Encoding.UTF8.GetBytes($"{SeedHeader}\n{GoodCsvRow("M-#")}\n");
        bytes[Array.IndexOf(bytes, (byte)'#')] = 0xC3;

        var ex = Assert.Throws<BatchFormatException>(() => Csv().Read(bytes, Now));

        Assert.Equal((400, "body"), (ex.StatusCode, ex.Field));
        Assert.StartsWith("is not valid UTF-8", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Body_larger_than_the_limit_is_too_large()
    {
        var bytes = Encoding.UTF8.GetBytes($"{SeedHeader}\n{GoodCsvRow()}\n");

        var ex = Assert.Throws<BatchFormatException>(() => Csv(new IngestOptions { MaxBodyBytes = bytes.Length - 1 }).Read(bytes, Now));

        Assert.Equal((413, "body"), (ex.StatusCode, ex.Field));
    }

    [Fact]
    public void Ten_thousand_rows_are_accepted()
    {
        var batch = Csv().Read(ManyCsv(10_000), Now);

        Assert.Equal((10_000, 10_000, 0), (batch.Total, batch.Readings.Count, batch.Rejected.Count));
        Assert.Equal((9_999, "M-9999"), (batch.Readings[^1].Index, batch.Readings[^1].Reading.ModuleId));
    }

    [Fact]
    public async Task Ten_thousand_and_one_rows_are_too_many()
    {
        var ex = Assert.Throws<BatchFormatException>(() => Csv().Read(ManyCsv(10_001), Now));
        Assert.Equal((413, "body", "at most 10000 readings per batch"), (ex.StatusCode, ex.Field, ex.Reason));

        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(ManyCsv(10_001)));
        var fromStream = await Assert.ThrowsAsync<BatchFormatException>(() => Csv().ReadAsync(stream, Now));
        Assert.Equal(413, fromStream.StatusCode);
    }
}
