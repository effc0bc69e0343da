using System.IO.Compression;
using System.Text;
using HvsGrains.Grains.Racks;
using HvsGrains.Grains.ReadingLog;
using HvsGrains.Grains.Readings;
using HvsGrains.Grains.Warehouse;
using HvsGrains.Simulation.Dataset;
using HvsGrains.Simulation.Dataset.Site;
using Microsoft.Extensions.Options;

namespace HvsGrains.Silo.Export;

/// <summary>
/// A dataset ready to send: a zip of dataset.csv and dataset.json in a temporary file deleted when closed; no zip when
/// the range held no row to write (<see cref="DatasetManifest.Rows"/> 0; the manifest says why, e.g. test alarms).
/// </summary>
public sealed record SiteExport(Stream Zip, DatasetManifest Manifest);

/// <summary>
/// Reads a range of the site's readings log, rack by rack, and writes it with the operators' verdicts as a training
/// dataset (<see cref="SiteDatasetWriter"/>). The racks and their modules come from the grains; readings from the log.
/// </summary>
public sealed partial class SiteDatasetExporter(
    IGrainFactory grains,
    IReadingLog log,
    IOptions<WarehouseOptions> site,
    IOptions<SiteExportOptions> options,
    ILogger<SiteDatasetExporter> logger)
{
    private IWarehouseGrain Warehouse => grains.GetGrain<IWarehouseGrain>(site.Value.SiteId);

    /// <summary>The racks that have reported to the site.</summary>
    public async Task<IReadOnlyList<string>> RacksAsync() =>
        [.. (await Warehouse.GetStatus()).Racks.Select(r => r.RackId).Order(StringComparer.Ordinal)];

    /// <summary>The dataset of <paramref name="scope"/>.</summary>
    public async Task<SiteExport> ExportAsync(SiteDatasetScope scope, string commandLine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var labels = new SiteLabeler(await SiteAlarms.ReadAsync(Warehouse), options.Value.LabelBefore, options.Value.LabelAfter);
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        try
        {
            DatasetManifest manifest;
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
            {
                var writer = await WriteRowsAsync(zip, scope, labels, cancellationToken);
                manifest = writer.Finish(commandLine);
                if (manifest.Rows > 0)
                {
                    await using var entry = zip.CreateEntry(DatasetWriter.ManifestFileName, CompressionLevel.Fastest).Open();
                    await entry.WriteAsync(Encoding.UTF8.GetBytes(SiteDatasetWriter.ManifestJson(manifest)), cancellationToken);
                }
            }

            if (manifest.Rows == 0)
            {
                await file.DisposeAsync();
                return new SiteExport(Stream.Null, manifest);
            }

            file.Position = 0;
            LogExported(logger, manifest.Rows, scope.Racks.Count, scope.From, scope.To, manifest.Positives, manifest.Site!.ExcludedTestRows);
            return new SiteExport(file, manifest);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    private async Task<SiteDatasetWriter> WriteRowsAsync(ZipArchive zip, SiteDatasetScope scope, SiteLabeler labels, CancellationToken cancellationToken)
    {
        await using var stream = zip.CreateEntry(DatasetWriter.CsvFileName, CompressionLevel.Fastest).Open();
        await using var csv = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        var writer = new SiteDatasetWriter(scope, labels, csv);
        foreach (var rackId in scope.Racks)
        {
            writer.WriteRack(rackId, await RackReadingsAsync(rackId, scope, cancellationToken));
        }

        return writer;
    }

    /// <summary>A rack's modules' readings of the range and its warm-up, in time order.</summary>
    private async Task<List<SensorReading>> RackReadingsAsync(string rackId, SiteDatasetScope scope, CancellationToken cancellationToken)
    {
        var rack = await grains.GetGrain<IRackGrain>(rackId).GetStatus();
        var readings = new List<SensorReading>();
        foreach (var module in rack?.Modules ?? [])
        {
            var logged = await log.ReadModuleAsync(module.ModuleId, scope.From - SiteDatasetScope.WarmUp, scope.To, int.MaxValue, cancellationToken);
            readings.AddRange(logged.Select(l => l.Reading));
        }

        readings.Sort(static (a, b) => a.Timestamp != b.Timestamp
            ? a.Timestamp.CompareTo(b.Timestamp)
            : string.CompareOrdinal(a.ModuleId, b.ModuleId));
        return readings;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Exported {Rows} rows of {Racks} racks from {From:O} to {To:O} as a training dataset: {Positives} labelled true alarm, {Excluded} left out for test alarms")]
    private static partial void LogExported(ILogger logger, long rows, int racks, DateTimeOffset from, DateTimeOffset to, long positives, long excluded);
}
