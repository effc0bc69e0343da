using System.Buffers;
using HvsGrains.Silo.Ingest;

namespace HvsGrains.Silo.Endpoints;

/// <summary>
/// A request body read whole into one buffer, up to a limit, so an oversized batch is a clear 413, not a memory
/// spike. Usual batches (up to <see cref="LargestPooledBytes"/>) use the shared pool, so a steady feed does not
/// allocate a buffer per request; larger ones get a buffer of their own that the GC takes back after the request:
/// the shared pool would keep a power-of-two array of up to twice the body per core and thread, long after a burst.
/// </summary>
internal sealed class RequestBody : IDisposable
{
    /// <summary>The largest buffer taken from and given back to the shared pool (a 500-reading JSON batch is about 160 KiB).</summary>
    public const int LargestPooledBytes = 1024 * 1024;

    private const int FirstBufferBytes = 64 * 1024;

    private byte[] _buffer;
    private int _length;

    private RequestBody(int capacity) => _buffer = Allocate(capacity);

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);

    /// <summary>Whether the buffer came from, and goes back to, the shared pool (only pooled buffers are that small).</summary>
    public bool IsPooled => _buffer.Length is > 0 and <= LargestPooledBytes;

    public static async Task<RequestBody> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
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
        Release();
        _buffer = [];
        _length = 0;
    }

    private static byte[] Allocate(int capacity) =>
        capacity <= LargestPooledBytes ? ArrayPool<byte>.Shared.Rent(capacity) : GC.AllocateUninitializedArray<byte>(capacity);

    private void Grow(int capacity)
    {
        var larger = Allocate(capacity);
        _buffer.AsSpan(0, _length).CopyTo(larger);
        Release();
        _buffer = larger;
    }

    private void Release()
    {
        if (IsPooled)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }

    private static BatchFormatException TooLarge(long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, "body", $"the body exceeds {maxBytes} bytes; send smaller batches");
}
