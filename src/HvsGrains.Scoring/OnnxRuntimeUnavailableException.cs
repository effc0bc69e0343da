namespace HvsGrains.Scoring;

/// <summary>
/// The ONNX Runtime native library could not be found or loaded. The silo treats this as
/// "model scoring unavailable" and runs on the deterministic rules alone (degraded).
/// </summary>
public class OnnxRuntimeUnavailableException : Exception
{
    public OnnxRuntimeUnavailableException()
    {
    }

    public OnnxRuntimeUnavailableException(string message)
        : base(message)
    {
    }

    public OnnxRuntimeUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OnnxRuntimeUnavailableException(string message, IReadOnlyList<string> pathsTried, Exception? innerException = null)
        : base(message, innerException) => PathsTried = pathsTried;

    /// <summary>Every path that was tried, in order.</summary>
    public IReadOnlyList<string> PathsTried { get; } = [];
}
