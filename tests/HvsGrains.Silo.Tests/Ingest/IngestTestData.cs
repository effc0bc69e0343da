using System.Globalization;
using System.Text;
using HvsGrains.Grains.Readings;
using HvsGrains.Silo.Ingest;

namespace HvsGrains.Silo.Tests.Ingest;

/// <summary>Shared clock, readers and sample readings for the ingest parser tests.</summary>
internal static class IngestTestData
{
    /// <summary>Server time of every test: readings at 10:00Z are two hours old.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset TenOClock = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    public const string SeedHeader =
        "Timestamp,Module_ID,Rack_ID,Module_Voltage_V,Module_Current_A,Module_SoC_percent,Module_Avg_Surface_Temp_C," +
        "Module_Max_Surface_Temp_C,Ambient_Temp_C,Sim_OffGas_CO_ppm_proxy,Sim_OffGas_H2_ppm_proxy,Sim_OffGas_VOC_ppm_proxy,Hazard_Label";

    public static JsonReadingBatchReader Json(IngestOptions? options = null) => new(new ReadingValidator(), options ?? new IngestOptions());

    public static CsvReadingBatchReader Csv(IngestOptions? options = null) => new(new ReadingValidator(), options ?? new IngestOptions());

    public static ParsedBatch ReadJson(string json, IngestOptions? options = null) => Json(options).Read(Encoding.UTF8.GetBytes(json), Now);

    /// <summary>A complete, valid JSON reading; <paramref name="extra"/> is appended inside the object.</summary>
    public static string GoodJson(string moduleId = "M-001", string timestamp = "2026-11-22T10:00:00Z", string extra = "") =>
        $$"""{"moduleId":"{{moduleId}}","rackId":"R-01","timestamp":"{{timestamp}}","voltageV":52.1,"currentA":-3.5,"socPercent":80,"avgSurfaceTempC":25.0,"maxSurfaceTempC":26.0,"ambientTempC":22,"coPpm":0.5,"h2Ppm":0.1,"vocPpm":1.2{{extra}}}""";

    /// <summary>A valid seed-format CSV row matching <see cref="SeedHeader"/>.</summary>
    public static string GoodCsvRow(string moduleId = "M-001", string timestamp = "2026-11-22 10:00:00") =>
        $"{timestamp},{moduleId},R-01,52.1,-3.5,80,25,26,22,0.5,0.1,1.2,0";

    /// <summary><paramref name="count"/> valid JSON readings, one per module.</summary>
    public static string ManyJson(int count)
    {
        var json = new StringBuilder("[");
        for (var i = 0; i < count; i++)
        {
            json.Append(i == 0 ? "" : ",").Append(GoodJson(string.Create(CultureInfo.InvariantCulture, $"M-{i}")));
        }

        return json.Append(']').ToString();
    }

    /// <summary><paramref name="count"/> valid CSV rows under <see cref="SeedHeader"/>.</summary>
    public static string ManyCsv(int count)
    {
        var csv = new StringBuilder(SeedHeader).Append('\n');
        for (var i = 0; i < count; i++)
        {
            csv.Append(GoodCsvRow(string.Create(CultureInfo.InvariantCulture, $"M-{i}"))).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>Asserts a mixed batch of good, bad, good: both good readings kept, only index 1 rejected, with this problem among its reasons.</summary>
    public static void AssertOnlyMiddleRejected(ParsedBatch batch, string field, string reason)
    {
        Assert.Equal(3, batch.Total);
        Assert.Equal([0, 2], batch.Readings.Select(r => r.Index));
        Assert.Equal(1, batch.RejectedCount);
        Assert.All(batch.Rejected, r => Assert.Equal(1, r.Index));
        Assert.Contains(batch.Rejected, r => r.Field == field && r.Reason == reason);
    }

    /// <summary>As <see cref="AssertOnlyMiddleRejected"/>, for validator reasons that embed formatted times.</summary>
    public static void AssertOnlyMiddleRejectedContaining(ParsedBatch batch, string field, string reasonPart)
    {
        Assert.Equal(3, batch.Total);
        Assert.Equal([0, 2], batch.Readings.Select(r => r.Index));
        Assert.All(batch.Rejected, r => Assert.Equal(1, r.Index));
        Assert.Contains(batch.Rejected, r => r.Field == field && r.Reason.Contains(reasonPart, StringComparison.Ordinal));
    }
}
