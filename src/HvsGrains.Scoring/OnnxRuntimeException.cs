namespace HvsGrains.Scoring;

/// <summary>Error codes of ONNX Runtime's <c>OrtErrorCode</c>, in header order.</summary>
public enum OnnxRuntimeErrorCode
{
    Ok = 0,
    Fail = 1,
    InvalidArgument = 2,
    NoSuchFile = 3,
    NoModel = 4,
    EngineError = 5,
    RuntimeException = 6,
    InvalidProtobuf = 7,
    ModelLoaded = 8,
    NotImplemented = 9,
    InvalidGraph = 10,
    EpFail = 11,
}

/// <summary>An ONNX Runtime call failed; carries ORT's own error code and message.</summary>
public class OnnxRuntimeException : Exception
{
    public OnnxRuntimeException()
    {
    }

    public OnnxRuntimeException(string message)
        : base(message)
    {
    }

    public OnnxRuntimeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OnnxRuntimeException(OnnxRuntimeErrorCode errorCode, string ortMessage)
        : base($"ONNX Runtime error {errorCode}: {ortMessage}")
    {
        ErrorCode = errorCode;
        OrtMessage = ortMessage;
    }

    /// <summary>ORT's error code (<see cref="OnnxRuntimeErrorCode.Fail"/> when raised by this binding).</summary>
    public OnnxRuntimeErrorCode ErrorCode { get; } = OnnxRuntimeErrorCode.Fail;

    /// <summary>The message exactly as ONNX Runtime reported it.</summary>
    public string OrtMessage { get; } = string.Empty;
}
