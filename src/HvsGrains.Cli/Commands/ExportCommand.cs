using System.CommandLine;
using System.Globalization;
using HvsGrains.Cli.Export;

namespace HvsGrains.Cli.Commands;

/// <summary>
/// <c>hvs export --url URL --key KEY --from T --to T [--rack R]… --out DIR</c>: the site's readings of a range as a
/// training dataset, labelled by the operators' verdicts, into DIR (dataset.csv + dataset.json).
/// </summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "A silo's front door, e.g. http://127.0.0.1:5080", Required = true };
        var key = new Option<string>("--key") { Description = "An admin API key (default $HVS_ADMIN_KEY)", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HVS_ADMIN_KEY") ?? "" };
        var from = new Option<DateTimeOffset>("--from") { Description = "Start of the range (ISO 8601, e.g. 2026-11-30T08:00:00Z)", Required = true };
        var to = new Option<DateTimeOffset>("--to") { Description = "End of the range, exclusive", Required = true };
        var racks = new Option<string[]>("--rack") { Description = "A rack to export (repeatable; default every rack)", Arity = ArgumentArity.ZeroOrMore };
        var output = new Option<DirectoryInfo>("--out") { Description = "The dataset folder to write (created if missing)", Required = true };
        var command = new Command("export", "Write the site's readings of a range as a training dataset, with operators' verdicts as labels (GET /api/v1/admin/datasets/site).")
        {
            url, key, from, to, racks, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = CliContext.Of(parse);
            var apiKey = parse.GetValue(key);
            var frontDoor = Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https" ? parsed : null;
            if (string.IsNullOrWhiteSpace(apiKey) || frontDoor is null)
            {
                throw new CommandFailedException(ExitCodes.InvalidInput, "Give --url as an absolute http(s) address and --key (or $HVS_ADMIN_KEY), an admin key.");
            }

            using var http = new HttpClient { BaseAddress = new Uri(frontDoor.AbsoluteUri.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(30) };
            http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
            var summary = await new SiteDatasetDownload(http).DownloadAsync(
                parse.GetValue(from), parse.GetValue(to), parse.GetValue(racks) ?? [], parse.GetValue(output)!, cancellationToken);
            context.Write(summary, writer =>
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Exported {summary.Rows:N0} rows to {summary.Directory} ({summary.Positives:N0} labelled 1 from true alarms; {summary.AlarmsUsed} alarms labelled rows; {summary.ExcludedTestRows:N0} rows of test alarms left out)."));
                foreach (var (source, rows) in summary.RowsBySource)
                {
                    writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {source,-15} {rows,12:N0} rows"));
                }
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
