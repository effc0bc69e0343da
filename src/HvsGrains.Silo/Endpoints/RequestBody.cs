using HvsGrains.Silo.Ingest;

namespace HvsGrains.Silo.Endpoints;

/// <summary>Reads a request body up to a limit, so an oversized batch is a clear 413, not a memory spike.</summary>
internal static class RequestBody
{
    public static async Task<byte[]> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static BatchFormatException TooLarge(long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, "body", $"the body exceeds {maxBytes} bytes; send smaller batches");
}
