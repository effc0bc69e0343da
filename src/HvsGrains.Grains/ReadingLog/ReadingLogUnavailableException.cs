namespace HvsGrains.Grains.ReadingLog;

/// <summary>
/// An append the log could not make durable (its database unreachable, a commit that failed or timed out): not
/// acknowledged, so the sender must send the readings again later; those that did reach the log count as duplicates then.
/// </summary>
public sealed class ReadingLogUnavailableException : Exception
{
    public ReadingLogUnavailableException()
        : this("The readings log is unavailable.")
    {
    }

    public ReadingLogUnavailableException(string message)
        : base(message)
    {
    }

    public ReadingLogUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
