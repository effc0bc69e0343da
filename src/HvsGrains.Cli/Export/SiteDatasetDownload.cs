using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text.Json;
using HvsGrains.Cli.Connection;

namespace HvsGrains.Cli.Export;

/// <summary>What an export wrote: the folder, its rows, the rows per label source, the rows test alarms left out.</summary>
public sealed record ExportSummary(string Directory, long Rows, long Positives, IReadOnlyDictionary<string, long> RowsBySource, long ExcludedTestRows, int AlarmsUsed);

/// <summary>
/// Fetches the site's dataset from a front door (GET /api/v1/admin/datasets/site) and unpacks its dataset.csv and
/// dataset.json into a folder, where the training pipeline reads it as it reads the simulator's.
/// </summary>
public sealed class SiteDatasetDownload(HttpClient http)
{
    private static readonly string[] Files = ["dataset.csv", "dataset.json"];

    public async Task<ExportSummary> DownloadAsync(DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string> racks, DirectoryInfo target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(racks);
        ArgumentNullException.ThrowIfNull(target);
        var query = string.Create(CultureInfo.InvariantCulture, $"api/v1/admin/datasets/site?from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}");
        if (racks.Count > 0)
        {
            query += "&racks=" + Uri.EscapeDataString(string.Join(',', racks));
        }

        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(query, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException unreachable)
        {
            throw new CommandFailedException(ExitCodes.Unreachable, $"The front door at {http.BaseAddress} does not answer: {unreachable.Message}", unreachable);
        }
        catch (TaskCanceledException timeout) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CommandFailedException(ExitCodes.Unreachable, $"The front door at {http.BaseAddress} did not answer within {http.Timeout.TotalSeconds:0} s.", timeout);
        }

        using (response)
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                throw response.StatusCode switch
                {
                    HttpStatusCode.BadRequest => new CommandFailedException(ExitCodes.InvalidInput, $"The export was refused: {ProblemDetail.Of(body)}"),
                    HttpStatusCode.NotFound => new CommandFailedException(ExitCodes.NotFound, $"Nothing to export: {ProblemDetail.Of(body)}"),
                    HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                        new CommandFailedException(ExitCodes.Refused, $"The front door refused the key ({(int)response.StatusCode}): exports need an admin key (--key or $HVS_ADMIN_KEY)."),
                    _ => new CommandFailedException(ExitCodes.Failed, $"The export failed ({(int)response.StatusCode}): {ProblemDetail.Of(body)}"),
                };
            }

            target.Create();
            var zipPath = Path.Combine(target.FullName, "site-dataset.zip.part");
            await using (var file = File.Create(zipPath))
            {
                await response.Content.CopyToAsync(file, cancellationToken);
            }

            await using (var zip = await ZipFile.OpenReadAsync(zipPath, cancellationToken))
            {
                foreach (var name in Files)
                {
                    var entry = zip.GetEntry(name) ?? throw new CommandFailedException(ExitCodes.Failed, $"The export lacks {name}.");
                    await entry.ExtractToFileAsync(Path.Combine(target.FullName, name), overwrite: true, cancellationToken);
                }
            }

            File.Delete(zipPath);
        }

        return Summarize(target);
    }

    private static ExportSummary Summarize(DirectoryInfo target)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(target.FullName, "dataset.json")));
        var root = manifest.RootElement;
        var site = root.GetProperty("site");
        return new ExportSummary(
            target.FullName,
            root.GetProperty("rows").GetInt64(),
            root.GetProperty("positives").GetInt64(),
            site.GetProperty("rowsBySource").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal),
            site.GetProperty("excludedTestRows").GetInt64(),
            site.GetProperty("alarms").GetArrayLength());
    }
}
