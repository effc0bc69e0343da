using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using HvsGrains.Grains.Readings;

namespace HvsGrains.Simulation.Feed;

/// <summary>Result of posting one batch.</summary>
/// <param name="Success">The front door answered 2xx.</param>
/// <param name="Status">Last HTTP status (null when no answer came).</param>
/// <param name="Attempts">Attempts made (1 = no retry).</param>
/// <param name="Problem">For a failure: the problem details or error text.</param>
public readonly record struct PostOutcome(bool Success, HttpStatusCode? Status, int Attempts, string? Problem);

/// <summary>
/// POSTs reading batches as a JSON array (camelCase fields, ISO 8601 timestamps with offset) to
/// {url}/api/v1/readings with the X-Api-Key header. Transient failures (connection errors,
/// timeouts, 408, 429, 5xx) are retried a bounded number of times with doubling delays
/// (Retry-After is honoured up to 10 s); other answers are returned at once with their problem details.
/// </summary>
public sealed class ReadingPoster
{
    /// <summary>Path of the front door's JSON ingest endpoint.</summary>
    public const string ReadingsPath = "api/v1/readings";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string _apiKey;
    private readonly int _maxAttempts;
    private readonly TimeSpan _retryDelay;
    private readonly TimeProvider _time;

    public ReadingPoster(HttpClient http, Uri baseUrl, string apiKey, int maxAttempts, TimeSpan retryDelay, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        _http = http;
        _endpoint = new Uri(baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/"), ReadingsPath);
        _apiKey = apiKey;
        _maxAttempts = Math.Max(1, maxAttempts);
        _retryDelay = retryDelay;
        _time = time ?? TimeProvider.System;
    }

    public Uri Endpoint => _endpoint;

    /// <summary>The request body for a batch (exposed for tests and logs).</summary>
    public static byte[] Serialize(IReadOnlyList<SensorReading> batch) =>
        JsonSerializer.SerializeToUtf8Bytes(batch.Select(r => r.IsRackReading ? new RackDetectorReading(r.RackId, r.Timestamp, r.AmbientTempC, r.CoPpm, r.H2Ppm, r.VocPpm) : (object)r), Json);

    /// <summary>A rack gas detector's reading as the front door takes it: a rack id and no module id.</summary>
    private sealed record RackDetectorReading(string RackId, DateTimeOffset Timestamp, double? AmbientTempC, double? CoPpm, double? H2Ppm, double? VocPpm);

    public async Task<PostOutcome> PostAsync(IReadOnlyList<SensorReading> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        byte[] body = Serialize(batch);
        for (int attempt = 1; ; attempt++)
        {
            TimeSpan? retryAfter = null;
            string problem;
            HttpStatusCode? status = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                request.Headers.Add("X-Api-Key", _apiKey);
                using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                status = response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    return new PostOutcome(true, status, attempt, null);
                }

                problem = await DescribeAsync(response, cancellationToken).ConfigureAwait(false);
                if (!IsTransient(response.StatusCode))
                {
                    return new PostOutcome(false, status, attempt, problem);
                }

                retryAfter = response.Headers.RetryAfter?.Delta;
            }
            catch (HttpRequestException e)
            {
                problem = $"request failed: {e.Message}";
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                problem = "request timed out";
            }

            if (attempt >= _maxAttempts)
            {
                return new PostOutcome(false, status, attempt, problem);
            }

            TimeSpan delay = retryAfter is { } ra && ra > TimeSpan.Zero
                ? (ra < MaxRetryAfter ? ra : MaxRetryAfter)
                : _retryDelay * Math.Pow(2, attempt - 1);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>"HTTP 422 title: detail; field: reason …" from RFC 9457 problem details, else the raw body.</summary>
    private static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var sb = new StringBuilder().Append("HTTP ").Append((int)response.StatusCode).Append(' ').Append(response.ReasonPhrase);
        try
        {
            using JsonDocument doc = JsonDocument.Parse(text);
            JsonElement root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("title", out JsonElement title))
                {
                    sb.Append(": ").Append(title.GetString());
                }

                if (root.TryGetProperty("detail", out JsonElement detail))
                {
                    sb.Append(" — ").Append(detail.GetString());
                }

                if (root.TryGetProperty("errors", out JsonElement errors) && errors.ValueKind == JsonValueKind.Object)
                {
                    int shown = 0;
                    foreach (JsonProperty field in errors.EnumerateObject())
                    {
                        if (shown++ == 5)
                        {
                            sb.Append("\n    …");
                            break;
                        }

                        sb.Append("\n    ").Append(field.Name).Append(": ").Append(field.Value.ToString());
                    }
                }

                return sb.ToString();
            }
        }
        catch (JsonException)
        {
            // Not JSON: show the text itself.
        }

        return text.Length == 0 ? sb.ToString() : sb.Append(": ").Append(text.Length > 500 ? text[..500] + "…" : text).ToString();
    }
}
