using HvsGrains.Silo.Endpoints;
using Microsoft.AspNetCore.Http;

namespace HvsGrains.Silo.Tests.Endpoints;

/// <summary>Large bodies get a buffer of their own, so a burst of them leaves nothing behind in the shared pool.</summary>
public sealed class RequestBodyTests
{
    private const long MaxBytes = 8 * 1024 * 1024;

    [Theory]
    [InlineData(10_000, true)]
    [InlineData(RequestBody.LargestPooledBytes - 1, true)]
    [InlineData(RequestBody.LargestPooledBytes, false)]
    [InlineData(8 * 1024 * 1024, false)]
    public async Task A_body_with_a_length_uses_the_shared_pool_only_up_to_the_largest_pooled_size(int length, bool pooled)
    {
        var bytes = Body(length);
        using var body = await RequestBody.ReadAsync(Request(bytes, declareLength: true), MaxBytes, CancellationToken.None);

        Assert.Equal(pooled, body.IsPooled);
        Assert.True(body.Span.SequenceEqual(bytes));
    }

    [Fact]
    public async Task A_chunked_body_that_grows_past_the_largest_pooled_size_leaves_the_pool()
    {
        var bytes = Body(3 * RequestBody.LargestPooledBytes);
        using var body = await RequestBody.ReadAsync(Request(bytes, declareLength: false), MaxBytes, CancellationToken.None);

        Assert.False(body.IsPooled);
        Assert.True(body.Span.SequenceEqual(bytes));
    }

    [Fact]
    public async Task A_small_chunked_body_stays_in_the_pool()
    {
        var bytes = Body(200_000);
        using var body = await RequestBody.ReadAsync(Request(bytes, declareLength: false), MaxBytes, CancellationToken.None);

        Assert.True(body.IsPooled);
        Assert.True(body.Span.SequenceEqual(bytes));
    }

    private static byte[] Body(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    private static HttpRequest Request(byte[] bytes, bool declareLength)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new TrickleStream(bytes);
        context.Request.ContentLength = declareLength ? bytes.Length : null;
        return context.Request;
    }

    /// <summary>Hands out at most 16 KiB per read, as a socket does.</summary>
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 16 * 1024)], cancellationToken);
    }
}
