using HvsGrains.Grains.Modules;
using HvsGrains.Grains.Racks;
using HvsGrains.Grains.ReadingLog;
using HvsGrains.Grains.Tests.Support;
using HvsGrains.Grains.Warehouse;

namespace HvsGrains.Grains.Tests.Cluster;

[Collection(SingleSiloCollection.Name)]
public sealed class ActivationTests(WarehouseCluster cluster)
{
    [Fact]
    public async Task Fifty_racing_first_ingests_make_one_activation_that_applies_every_reading_once()
    {
        var rack = TestReadings.NewRack();
        var moduleId = TestReadings.ModuleOf(rack);
        var readings = Hot.Calm(moduleId, rack, 50);
        var sequences = await cluster.Log.AppendAsync(readings, CancellationToken.None);
        var module = cluster.Grains.GetGrain<IModuleGrain>(moduleId);

        // Fifty callers race to be first; each sends one reading of the log.
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var callers = Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            await start.Task;
            await module.Ingest(new LoggedReading(sequences[i], readings[i]));
        })).ToList();
        start.SetResult();
        await Task.WhenAll(callers);

        Assert.True(await Eventually.HoldsAsync(async () => (await module.GetStatus())?.DataQuality.AppliedReadings == 50));
        var management = cluster.Grains.GetGrain<IManagementGrain>(0);
        var activations = await management.GetDetailedGrainStatistics(hostsIds: null);
        Assert.Single(activations, a => a.GrainId == module.GetGrainId());
        var counters = (await module.GetStatus())!.DataQuality;
        Assert.Equal((50L, 0L, 0L), (counters.AppliedReadings, counters.LateReadings, counters.DuplicateReadings));
        Assert.Equal(readings[^1], (await module.GetStatus())!.LatestReading);
    }

    [Fact]
    public async Task Fifty_racing_ingests_to_an_active_module_are_each_counted_once()
    {
        var rack = TestReadings.NewRack();
        var moduleId = TestReadings.ModuleOf(rack);
        var module = cluster.Grains.GetGrain<IModuleGrain>(moduleId);
        await cluster.IngestAsync(Hot.Calm(moduleId, rack, 1));
        Assert.True(await Eventually.HoldsAsync(async () => (await module.GetStatus()) is not null));

        var readings = Hot.Calm(moduleId, rack, 50, fromSeconds: 5);
        var sequences = await cluster.Log.AppendAsync(readings, CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => module.Ingest(new LoggedReading(sequences[i], readings[i])))));

        // Turns do not interleave: every reading is applied or refused as late, none twice, none lost.
        Assert.True(await Eventually.HoldsAsync(async () =>
            (await module.GetStatus())!.DataQuality is var c && c.AppliedReadings + c.LateReadings == 51));
        var counters = (await module.GetStatus())!.DataQuality;
        Assert.Equal(0, counters.DuplicateReadings);
        Assert.True(counters.AppliedReadings >= 2, $"applied {counters.AppliedReadings}");
    }

    [Fact]
    public async Task A_reading_for_another_module_throws_inside_the_grain_and_the_module_keeps_working()
    {
        var rack = TestReadings.NewRack();
        var (moduleId, otherId) = (TestReadings.ModuleOf(rack, 1), TestReadings.ModuleOf(rack, 2));
        var module = cluster.Grains.GetGrain<IModuleGrain>(moduleId);
        await cluster.IngestAsync(Hot.Calm(moduleId, rack, 3));
        Assert.True(await Eventually.HoldsAsync(async () => (await module.GetStatus())?.DataQuality.AppliedReadings == 3));

        // ModuleFeatureState.Apply throws ArgumentException for a reading of another module; Ingest is
        // one-way, so the exception ends that turn only.
        var foreign = TestReadings.At(15, tempC: 90, module: otherId, rack: rack);
        var foreignSequence = (await cluster.Log.AppendAsync([foreign], CancellationToken.None))[0];
        await module.Ingest(new LoggedReading(foreignSequence, foreign));
        await cluster.IngestAsync(Hot.Calm(moduleId, rack, 3, fromSeconds: 20));

        Assert.True(await Eventually.HoldsAsync(async () => (await module.GetStatus())?.DataQuality.AppliedReadings == 6));
        var status = (await module.GetStatus())!;
        Assert.Equal(moduleId, status.LatestReading.ModuleId);
        Assert.True(status.Level == Grains.Hazard.HazardLevel.Normal, string.Join("; ", status.Reasons.Select(r => r.Detail)) + $" | {status.DataQuality} | {status.LatestReading} | {status.EvaluatedAt} | {moduleId}");
    }

    [Fact]
    public async Task Acknowledging_an_unknown_alarm_answers_not_found_and_the_next_acknowledgement_works()
    {
        var rack = TestReadings.NewRack();
        var moduleId = TestReadings.ModuleOf(rack);
        await cluster.IngestAsync(Hot.Runaway(moduleId, rack));
        var warehouse = cluster.Grains.GetGrain<IWarehouseGrain>(new WarehouseOptions().SiteId);
        Alarm? alarm = null;
        Assert.True(await Eventually.HoldsAsync(async () =>
            (alarm = (await warehouse.GetAlarms(AlarmState.Open, null)).FirstOrDefault(a => a.RackId == rack)) is not null));

        var unknown = await warehouse.Acknowledge("ALM-999999", new Acknowledgement("operator-key", "Dana"));
        var known = await warehouse.Acknowledge(alarm!.Id, new Acknowledgement("operator-key", "Dana"));

        Assert.Equal((AcknowledgeOutcome.NotFound, null), (unknown.Outcome, unknown.Alarm));
        Assert.Equal(AcknowledgeOutcome.Acknowledged, known.Outcome);
        Assert.Equal("Dana", known.Alarm!.AcknowledgedBy);
        Assert.Contains(await warehouse.GetAlarms(AlarmState.Acknowledged, null), a => a.Id == alarm.Id);
        Assert.NotNull(await cluster.Grains.GetGrain<IRackGrain>(rack).GetStatus());
    }
}
