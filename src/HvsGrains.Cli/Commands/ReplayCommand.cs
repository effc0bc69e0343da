using System.CommandLine;
using System.Globalization;
using HvsGrains.Cli.Replay;

namespace HvsGrains.Cli.Commands;

/// <summary><c>hvs replay FILE.csv --url URL --key KEY</c>: a recorded dataset into a front door, in batches, with progress on stderr.</summary>
public static class ReplayCommand
{
    private const int RejectedRowsPrinted = 20;

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The dataset: the simulator's dataset.csv (or .csv.gz), or any CSV in the front door's columns" };
        var url = new Option<string>("--url") { Description = "A silo's front door, e.g. http://127.0.0.1:5000", Required = true };
        var key = new Option<string>("--key") { Description = "An ingest API key (default $HVS_INGEST_KEY)", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HVS_INGEST_KEY") ?? "" };
        var batchSize = new Option<int>("--batch-size") { Description = "Readings per request (the front door takes up to 10,000)", DefaultValueFactory = _ => 1000 };
        var command = new Command("replay", "Post a recorded dataset to a front door (POST /api/v1/readings/csv), honouring 503 Retry-After.") { file, url, key, batchSize };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = CliContext.Of(parse);
            var dataset = parse.GetValue(file)!;
            var size = parse.GetValue(batchSize);
            var apiKey = parse.GetValue(key);
            var frontDoor = Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https" ? parsed : null;
            if (!dataset.Exists)
            {
                throw new CommandFailedException(ExitCodes.InvalidInput, $"No dataset '{dataset.FullName}'.");
            }

            if (size is < 1 or > 10_000 || string.IsNullOrWhiteSpace(apiKey) || frontDoor is null)
            {
                throw new CommandFailedException(ExitCodes.InvalidInput, "Give --url as an absolute http(s) address, --key (or $HVS_INGEST_KEY), and --batch-size from 1 to 10000.");
            }

            using var http = new HttpClient { BaseAddress = new Uri(frontDoor.AbsoluteUri.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(120) };
            http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
            var poster = new FrontDoorPoster(http, TimeProvider.System);
            var total = CsvBatches.Count(dataset);
            var (sent, accepted, duplicates) = (0, 0, 0);
            var rejected = new List<RejectedRow>();
            foreach (var batch in CsvBatches.Read(dataset, size))
            {
                var outcome = await poster.PostAsync(batch, cancellationToken);
                (sent, accepted, duplicates) = (sent + outcome.Rows, accepted + outcome.Accepted, duplicates + outcome.Duplicates);
                rejected.AddRange(outcome.Rejected);
                await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"[replay] {sent:N0}/{total:N0} rows ({(total == 0 ? 100 : 100.0 * sent / total):0}%): {accepted:N0} accepted, {duplicates:N0} duplicates, {rejected.Select(r => r.Row).Distinct().Count():N0} rejected"));
            }

            var summary = new ReplaySummary(dataset.FullName, sent, accepted, duplicates, rejected.Select(r => r.Row).Distinct().Count(), poster.Retries, rejected);
            context.Write(summary, output =>
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Replayed {summary.Rows:N0} rows of {dataset.Name}: {summary.Accepted:N0} accepted, {summary.Duplicates:N0} duplicates of readings already logged, {summary.RejectedRows:N0} rejected ({summary.Retries} retries after busy answers)."));
                foreach (var row in rejected.Take(RejectedRowsPrinted))
                {
                    output.WriteLine($"  rejected row {row.Row} (line {row.Line?.ToString(CultureInfo.InvariantCulture) ?? "?"}): {row.Field}: {row.Reason}");
                }

                if (rejected.Count > RejectedRowsPrinted)
                {
                    output.WriteLine($"  … and {rejected.Count - RejectedRowsPrinted} more problems (--json lists them all).");
                }
            });
            return summary.RejectedRows == 0 ? ExitCodes.Ok : ExitCodes.Refused;
        });
        return command;
    }

    /// <summary>The replay's result: rows sent, what the front door did with them, and every rejected row with its reason.</summary>
    public sealed record ReplaySummary(string File, int Rows, int Accepted, int Duplicates, int RejectedRows, int Retries, IReadOnlyList<RejectedRow> Rejected);
}
