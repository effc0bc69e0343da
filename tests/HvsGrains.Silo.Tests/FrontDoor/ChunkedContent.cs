using System.Net;
using System.Text;

namespace HvsGrains.Silo.Tests.FrontDoor;

/// <summary>A body sent without Content-Length (chunked), as streaming gateways do.</summary>
internal sealed class ChunkedContent : HttpContent
{
    private readonly byte[] _bytes;

    public ChunkedContent(string body, string mediaType)
    {
        _bytes = Encoding.UTF8.GetBytes(body);
        Headers.ContentType = new(mediaType);
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        // Small writes, so the server sees many reads.
        for (var offset = 0; offset < _bytes.Length; offset += 7_000)
        {
            await stream.WriteAsync(_bytes.AsMemory(offset, Math.Min(7_000, _bytes.Length - offset)));
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
