namespace HvsGrains.Silo.Ingest;

/// <summary>
/// The batch as a whole cannot be read (not an array, malformed, too large, missing CSV column):
/// unlike a bad reading, nothing of it can be trusted, so the endpoint answers with a problem
/// details response carrying <see cref="StatusCode"/> (400 or 413), <see cref="Field"/> and <see cref="Reason"/>.
/// </summary>
public sealed class BatchFormatException : Exception
{
    public BatchFormatException(int statusCode, string field, string reason)
        : this(statusCode, field, reason, null)
    {
    }

    public BatchFormatException(int statusCode, string field, string reason, Exception? innerException)
        : base($"{field}: {reason}", innerException)
    {
        StatusCode = statusCode;
        Field = field;
        Reason = reason;
    }

    /// <summary>HTTP status for the response: 400 (bad format) or 413 (too large).</summary>
    public int StatusCode { get; }

    /// <summary>"body", or the CSV column at fault.</summary>
    public string Field { get; }

    public string Reason { get; }
}
