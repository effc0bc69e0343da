using System.Buffers;
using HvsGrains.Silo.Ingest;

namespace HvsGrains.Silo.Endpoints;

/// <summary>
/// A request body read whole into a pooled buffer, up to a limit, so an oversized batch is a clear 413,
/// not a memory spike, and a steady feed of large batches does not allocate a fresh buffer each time.
/// </summary>
internal sealed class RequestBody : IDisposable
{
    private const int FirstBufferBytes = 64 * 1024;

    private byte[] _buffer;
    private int _length;

    private RequestBody(int capacity) => _buffer = ArrayPool<byte>.Shared.Rent(capacity);

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);

    public static async Task<RequestBody> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        // One byte beyond the declared length, so a body longer than its header still ends the loop by growing.
        var body = new RequestBody((int)Math.Min(maxBytes + 1, (request.ContentLength ?? FirstBufferBytes) + 1));
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(body._buffer.AsMemory(body._length), cancellationToken)) > 0)
            {
                body._length += read;
                if (body._length > maxBytes)
                {
                    throw TooLarge(maxBytes);
                }

                if (body._length == body._buffer.Length)
                {
                    body.Grow((int)Math.Min(maxBytes + 1, (long)body._buffer.Length * 2));
                }
            }

            return body;
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            _length = 0;
        }
    }

    private void Grow(int capacity)
    {
        var larger = ArrayPool<byte>.Shared.Rent(capacity);
        _buffer.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    private static BatchFormatException TooLarge(long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, "body", $"the body exceeds {maxBytes} bytes; send smaller batches");
}
