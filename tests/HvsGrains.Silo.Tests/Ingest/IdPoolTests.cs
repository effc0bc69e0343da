using HvsGrains.Silo.Ingest;
using static HvsGrains.Silo.Tests.Ingest.IngestTestData;

namespace HvsGrains.Silo.Tests.Ingest;

public sealed class IdPoolTests
{
    [Fact]
    public void The_same_id_gives_the_same_string_and_the_pool_stops_growing_at_its_capacity()
    {
        var pool = new IdPool(capacity: 2);

        var first = pool.Get("Rack01_Module01");
        var again = pool.Get("Rack01_Module01".AsSpan());
        pool.Get("Rack01_Module02");
        var third = pool.Get("Rack01_Module03");

        Assert.Same(first, again);
        Assert.Equal("Rack01_Module03", third);
        Assert.NotSame(third, pool.Get("Rack01_Module03"));
        Assert.Equal(2, pool.Count);
    }

    [Fact]
    public void Batches_share_id_strings_and_escaped_or_overlong_ids_read_as_their_text()
    {
        var one = ReadJson($"[{GoodJson("Pool-M1")}]");
        var two = ReadJson($"[{GoodJson("Pool-M1")},{GoodJson("Pool\\u002DM2")},{GoodJson(new string('m', 200))}]");

        Assert.Same(one.Readings[0].Reading.ModuleId, two.Readings[0].Reading.ModuleId);
        Assert.Same(one.Readings[0].Reading.RackId, two.Readings[0].Reading.RackId);
        Assert.Equal("Pool-M2", two.Readings[1].Reading.ModuleId);
        var overlong = Assert.Single(two.Rejected);
        Assert.Equal(("moduleId", "is 200 characters; at most 128 allowed"), (overlong.Field, overlong.Reason));
    }

    [Theory]
    [InlineData("2026-11-22T10:00:00\\u002B01:00", true)]
    [InlineData("2026-11-22T10:00:00\\u005A", true)]
    [InlineData("2026-11-22T10:00:00", false)]
    public void Escaped_timestamps_are_judged_by_their_text(string timestamp, bool accepted)
    {
        var batch = ReadJson($"[{GoodJson("Pool-T1", timestamp)}]");

        Assert.Equal(accepted ? 1 : 0, batch.Readings.Count);
    }
}
