using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using HvsGrains.Cli.Connection;

namespace HvsGrains.Cli.Replay;

/// <summary>
/// Posts CSV batches to a front door's POST /api/v1/readings/csv. A busy silo (503 or 429) is honoured: the batch is
/// sent again after its Retry-After, since nothing of a shed batch was taken. 422 still took the good readings.
/// </summary>
public sealed class FrontDoorPoster(HttpClient http, TimeProvider clock)
{
    /// <summary>Times one batch is sent again to a busy silo before the replay gives up.</summary>
    public const int MaxRetries = 120;

    public int Retries { get; private set; }

    public async Task<BatchOutcome> PostAsync(CsvBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var csv = batch.ToCsv();
        for (var attempt = 0; ; attempt++)
        {
            using var content = new StringContent(csv, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" };
            HttpResponseMessage response;
            try
            {
                response = await http.PostAsync("api/v1/readings/csv", content, cancellationToken);
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
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                switch (response.StatusCode)
                {
                    case HttpStatusCode.OK:
                    case HttpStatusCode.UnprocessableEntity when body.Contains("\"rejected\"", StringComparison.Ordinal):
                        return Outcome(batch, body);
                    case HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests when attempt < MaxRetries:
                        Retries++;
                        await Task.Delay(RetryAfter(response), clock, cancellationToken);
                        continue;
                    case HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests:
                        throw new CommandFailedException(ExitCodes.Unreachable, $"The front door stayed busy: rows from {batch.FirstRow} were refused {MaxRetries + 1} times.");
                    case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                        throw new CommandFailedException(ExitCodes.Refused, $"The front door refused the key ({(int)response.StatusCode}): use an ingest key (--key).");
                    default:
                        throw new CommandFailedException(ExitCodes.Refused, $"The front door refused the batch from row {batch.FirstRow} ({(int)response.StatusCode}): {ProblemDetail.Of(body)}");
                }
            }
        }
    }

    private TimeSpan RetryAfter(HttpResponseMessage response)
    {
        var retryAfter = response.Headers.RetryAfter;
        var wait = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - clock.GetUtcNow() : TimeSpan.FromSeconds(1));
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    private static BatchOutcome Outcome(CsvBatch batch, string body)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var rejected = new List<RejectedRow>();
        if (root.TryGetProperty("rejected", out var rows))
        {
            foreach (var row in rows.EnumerateArray())
            {
                var index = row.GetProperty("index").GetInt32();
                rejected.Add(new RejectedRow(
                    batch.FirstRow + index,
                    index < batch.Lines.Count ? batch.Lines[index] : null,
                    row.GetProperty("field").GetString() ?? "",
                    row.GetProperty("reason").GetString() ?? ""));
            }
        }

        return new BatchOutcome(batch.Records.Count, root.GetProperty("accepted").GetInt32(), root.GetProperty("duplicates").GetInt32(), rejected);
    }
}

/// <summary>What the front door made of one batch.</summary>
public sealed record BatchOutcome(int Rows, int Accepted, int Duplicates, IReadOnlyList<RejectedRow> Rejected);

/// <summary>
/// A reading the front door rejected: its 0-based data row in the file, the line it is on, the field and why.
/// A row with several problems appears once per problem.
/// </summary>
public sealed record RejectedRow(int Row, int? Line, string Field, string Reason);
