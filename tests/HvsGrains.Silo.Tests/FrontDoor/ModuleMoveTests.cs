using System.Net;

namespace HvsGrains.Silo.Tests.FrontDoor;

/// <summary>A module whose readings name a new rack is counted in that rack only, through the front door.</summary>
public sealed class ModuleMoveTests : IDisposable
{
    private readonly DataFolder _data = new();

    [Fact]
    public async Task A_module_that_reports_a_new_rack_is_in_that_rack_only_and_counted_once()
    {
        await using var silo = new SiloHost(_data.Path);
        var ingest = silo.ClientWithKey(SiloHost.IngestKey);
        var read = silo.ClientWithKey(SiloHost.ReadKey);
        var start = DateTimeOffset.UtcNow.AddMinutes(-30);
        await ingest.PostReadingsAsync([HeatingSequence.Normal("Move_M1", "RackOld", start), HeatingSequence.Normal("Move_M2", "RackOld", start)]);
        Assert.True(await Eventually.HoldsAsync(async () => (await read.GetJsonAsync("/api/v1/warehouse")).GetProperty("moduleCount").GetInt32() == 2));

        using var moved = await ingest.PostReadingsAsync([HeatingSequence.Normal("Move_M1", "RackNew", start.AddMinutes(1))]);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);

        Assert.True(await Eventually.HoldsAsync(async () =>
            (await read.GetJsonAsync("/api/v1/racks/RackOld")).GetProperty("modules").GetArrayLength() == 1));
        var oldRack = await read.GetJsonAsync("/api/v1/racks/RackOld");
        Assert.Equal("Move_M2", oldRack.GetProperty("modules")[0].GetProperty("moduleId").GetString());
        var newRack = await read.GetJsonAsync("/api/v1/racks/RackNew");
        Assert.Equal("Move_M1", newRack.GetProperty("modules")[0].GetProperty("moduleId").GetString());
        Assert.True(await Eventually.HoldsAsync(async () => (await read.GetJsonAsync("/api/v1/warehouse")) is var site
            && site.GetProperty("moduleCount").GetInt32() == 2 && site.GetProperty("rackCount").GetInt32() == 2));
        Assert.Equal("RackNew", (await read.GetJsonAsync("/api/v1/modules/Move_M1")).GetProperty("rackId").GetString());
    }

    public void Dispose() => _data.Dispose();
}
