namespace HvsGrains.Silo.Endpoints;

/// <summary>The body of a model upload (active or shadow): an .onnx file's bytes, checked before the catalog sees them.</summary>
public static class ModelUploadBody
{
    /// <summary>Largest model accepted: far above any tree ensemble here, below Orleans' message limit for the catalog.</summary>
    public const long MaxBytes = 64 * 1024 * 1024;

    /// <summary>The model's bytes, or the problem (415, 413, 400) that says what is wrong with the request.</summary>
    public static async Task<(byte[]? Bytes, IResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.Equals(request.ContentType, "application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.Field(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type", "Content-Type",
                "send the .onnx file's bytes as application/octet-stream"));
        }

        byte[] bytes;
        try
        {
            using var body = await RequestBody.ReadAsync(request, MaxBytes, cancellationToken);
            bytes = body.Span.ToArray(); // the catalog grain keeps these bytes
        }
        catch (Ingest.BatchFormatException problem)
        {
            return (null, Problems.Field(problem.StatusCode, "Model too large", "body", problem.Reason));
        }

        return bytes.Length == 0
            ? (null, Problems.Field(StatusCodes.Status400BadRequest, "Empty model", "body", "the body holds no model"))
            : (bytes, null);
    }
}
